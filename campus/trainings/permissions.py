"""Who may see and change an offering: the campus's ownership rule, owned by its organisation."""

from campus.ownership import OwnershipPolicy

offering_policy = OwnershipPolicy(owner_field="organisation")

can_edit_offering = offering_policy.can_edit
