"""Who may see and change equipment and bookings.

Equipment belongs to a technology platform: its editors change it, anyone sees
it once published. A booking is seen by the person who asked for it and by those
who decide on it: the equipment's manager and the platform's editors (and the
campus team). Anyone else gets a 404, so a booking's existence does not leak.
"""

from django.db.models import Q

from campus.ownership import (
    OwnershipPolicy,
    editable_organisation_ids,
    is_active_account,
)

equipment_policy = OwnershipPolicy(owner_field="organisation")

can_edit_equipment = equipment_policy.can_edit


def managed_bookings(queryset, user):
    """Bookings the user decides on: as the equipment's manager or the platform's
    editor; every booking for the team."""
    if not is_active_account(user):
        return queryset.none()
    if user.is_campus_team:
        return queryset.all()
    return queryset.filter(
        Q(equipment__manager=user)
        | Q(equipment__organisation__in=editable_organisation_ids(user))
    )


def can_decide(user, booking) -> bool:
    if not is_active_account(user):
        return False
    if user.is_campus_team:
        return True
    equipment = booking.equipment
    return (
        equipment.manager_id == user.pk
        or equipment.organisation_id in editable_organisation_ids(user)
    )
