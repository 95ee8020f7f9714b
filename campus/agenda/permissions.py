"""Who may see and change an event and its registrations: owned by the organiser."""

from campus.ownership import OwnershipPolicy

event_policy = OwnershipPolicy(owner_field="organisation")
registration_policy = OwnershipPolicy(owner_field="event__organisation")

can_edit_event = event_policy.can_edit
