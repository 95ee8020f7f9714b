"""Publishing equipment, and the life of a booking: requested, approved or refused,
cancelled. Every rule that refuses raises a BookingRuleError with a French message.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from campus.mail import send_templated_email
from campus.network.models import Organisation
from campus.platforms.models import (
    NO_OVERLAP_CONSTRAINT,
    Booking,
    BookingStatus,
    Equipment,
    new_calendar_token,
)
from campus.platforms.times import PARIS, elapsed, utc
from campus.rules import RuleError

MAX_BOOKING_LENGTH = dt.timedelta(days=14)


class BookingRuleError(RuleError):
    title = "Réservation impossible"


class BookingOverlap(BookingRuleError):
    status_code = 409


class InvalidBooking(BookingRuleError):
    status_code = 400


OVERLAP_MESSAGE = (
    "Ce créneau chevauche une réservation déjà acceptée pour cet équipement : "
    "choisissez un autre créneau."
)


def regenerate_calendar_token(equipment: Equipment, *, acting_user) -> Equipment:
    """A new secret for the manager's calendar feed: the old address stops working."""
    equipment.calendar_token = new_calendar_token()
    equipment.save(update_fields=["calendar_token", "updated_at"])
    return equipment


def check_slot(starts_at, ends_at, *, now=None) -> None:
    """End after start, at most MAX_BOOKING_LENGTH, not in the past."""
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise InvalidBooking("La fin du créneau doit venir après son début.")
    if elapsed(starts_at, ends_at) > MAX_BOOKING_LENGTH:
        raise InvalidBooking(
            f"Un créneau dure au plus {MAX_BOOKING_LENGTH.days} jours : "
            "faites plusieurs demandes pour une période plus longue."
        )
    if starts_at < now:
        raise InvalidBooking(
            "Ce créneau commence dans le passé : choisissez une date à venir."
        )


def _decider_emails(equipment: Equipment) -> list[str]:
    return list(equipment.manager_users().values_list("email", flat=True))


def request_booking(
    equipment: Equipment,
    *,
    requester,
    organisation: Organisation,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    now=None,
) -> Booking:
    """A partner asks for a slot for one of their organisations; the deciders and
    the requester get an e-mail. A slot already taken by an approved booking is
    refused at once, so that no one waits for a certain refusal."""
    check_slot(starts_at, ends_at, now=now)
    if (
        not Organisation.objects.member_of(requester)
        .filter(pk=organisation.pk)
        .exists()
    ):
        raise InvalidBooking(
            "Vous ne pouvez réserver que pour une organisation dont vous êtes membre."
        )
    with transaction.atomic():
        if equipment.bookings.approved().overlapping(starts_at, ends_at).exists():
            raise BookingOverlap(OVERLAP_MESSAGE)
        booking = Booking.objects.create(
            equipment=equipment,
            requester=requester,
            organisation=organisation,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=purpose,
        )
        context = {"booking": booking, "equipment": equipment}
        send_templated_email(
            "platforms/email/booking_requested", context, _decider_emails(equipment)
        )
        send_templated_email(
            "platforms/email/booking_received", context, [requester.email]
        )
    return booking


def _lock(booking: Booking) -> Booking:
    """Locks the equipment row, then rereads the booking: two approvals of the same
    equipment run one after the other (SQLite serialises writers on its own)."""
    list(
        Equipment.objects.select_for_update()
        .filter(pk=booking.equipment_id)
        .values_list("pk", flat=True)
    )
    return Booking.objects.select_related("equipment", "requester").get(pk=booking.pk)


def check_no_overlap(booking: Booking) -> None:
    """The approved bookings of the equipment leave the booking's slot free."""
    taken = (
        Booking.objects.approved()
        .filter(equipment_id=booking.equipment_id)
        .overlapping(booking.starts_at, booking.ends_at)
        .exclude(pk=booking.pk)
    )
    if taken.exists():
        raise BookingOverlap(OVERLAP_MESSAGE)


def _ensure_pending(booking: Booking) -> None:
    if booking.status != BookingStatus.PENDING:
        raise BookingRuleError(
            f"Cette demande est déjà « {booking.get_status_display().lower()} » : "
            "elle ne peut plus être acceptée ni refusée."
        )


def approve_booking(booking: Booking, *, acting_user, now=None) -> Booking:
    """The manager accepts the request, if its slot is still free and to come."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock(booking)
        _ensure_pending(booking)
        if booking.starts_at < now:
            raise InvalidBooking(
                "Ce créneau a commencé : il ne peut plus être accepté. Refusez la demande."
            )
        check_no_overlap(booking)
        booking.status = BookingStatus.APPROVED
        booking.decided_by = acting_user
        booking.decided_at = now
        _save_approval(booking)
        _notify_decision(booking, "booking_approved")
    return booking


# PostgreSQL's code for a deadlock it broke by stopping one of the transactions.
DEADLOCK = "40P01"


def _save_approval(booking: Booking) -> None:
    """Saves the approval; the database's exclusion constraint refuses an overlap
    the check missed.

    Two overlapping approvals written at once (possible only without the
    equipment's lock) make PostgreSQL check each row against the other's, each
    waiting for the other transaction: it stops one as a deadlock. That one saves
    again once, which waits for the other to end, then meets the constraint (or
    passes, if the other was rolled back).
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                booking.save(
                    update_fields=["status", "decided_by", "decided_at", "updated_at"]
                )
            return
        except IntegrityError as error:
            if NO_OVERLAP_CONSTRAINT in str(error):
                raise BookingOverlap(OVERLAP_MESSAGE) from error
            raise
        except OperationalError as error:
            if attempt == 2 or getattr(error.__cause__, "sqlstate", None) != DEADLOCK:
                raise


def refuse_booking(booking: Booking, *, acting_user, reason: str, now=None) -> Booking:
    """The manager refuses the request and says why; the requester reads the reason."""
    reason = reason.strip()
    if not reason:
        raise InvalidBooking("Indiquez le motif du refus : il est envoyé au demandeur.")
    with transaction.atomic():
        booking = _lock(booking)
        _ensure_pending(booking)
        booking.status = BookingStatus.REFUSED
        booking.refusal_reason = reason
        booking.decided_by = acting_user
        booking.decided_at = now or timezone.now()
        booking.save(
            update_fields=[
                "status",
                "refusal_reason",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        _notify_decision(booking, "booking_refused")
    return booking


def cancel_booking(booking: Booking, *, acting_user, now=None) -> Booking:
    """The requester withdraws a request or an accepted booking that has not ended."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock(booking)
        if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
            raise BookingRuleError(
                f"Cette réservation est déjà « {booking.get_status_display().lower()} »."
            )
        if booking.ends_at <= now:
            raise BookingRuleError(
                "Ce créneau est passé : il ne peut plus être annulé."
            )
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        send_templated_email(
            "platforms/email/booking_cancelled",
            {"booking": booking, "equipment": booking.equipment},
            _decider_emails(booking.equipment),
        )
    return booking


def _notify_decision(booking: Booking, template: str) -> None:
    context = {"booking": booking, "equipment": booking.equipment}
    send_templated_email(
        f"platforms/email/{template}", context, [booking.requester.email]
    )
    deciders = [
        email
        for email in _decider_emails(booking.equipment)
        if email != booking.requester.email
    ]
    send_templated_email(f"platforms/email/{template}_manager", context, deciders)


# Usage statistics


@dataclass
class EquipmentUsage:
    """One equipment's approved bookings in a year: hours and bookings by month."""

    equipment: Equipment
    hours: list[float] = field(default_factory=lambda: [0.0] * 12)
    bookings: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def total_hours(self) -> float:
        return sum(self.hours)

    @property
    def total_bookings(self) -> int:
        return sum(self.bookings)


def _month_start(year: int, month: int) -> dt.datetime:
    """The first midnight of the Paris month, as a UTC instant."""
    if month == 13:
        year, month = year + 1, 1
    return utc(dt.datetime(year, month, 1, tzinfo=PARIS))


def usage_by_month(year: int, *, equipment=None) -> list[EquipmentUsage]:
    """Hours booked (approved bookings, elapsed time in Paris months) and bookings
    (counted in the month they start) per equipment and month of `year`.

    A booking across the end of a month gives its hours to both months; one across
    a clock change counts the hours that really passed.
    """
    year_start, year_end = _month_start(year, 1), _month_start(year, 13)
    equipment = equipment if equipment is not None else Equipment.objects.all()
    rows = {
        item.pk: EquipmentUsage(item)
        for item in equipment.select_related("organisation").order_by(
            "organisation__name", "name", "pk"
        )
    }
    bookings = (
        Booking.objects.approved()
        .filter(equipment__in=list(rows))
        .overlapping(year_start, year_end)
        .order_by("starts_at", "pk")
    )
    bounds = [_month_start(year, month) for month in range(1, 14)]
    for booking in bookings:
        row = rows[booking.equipment_id]
        for month in range(12):
            start = max(utc(booking.starts_at), bounds[month])
            end = min(utc(booking.ends_at), bounds[month + 1])
            if end > start:
                row.hours[month] += (end - start).total_seconds() / 3600
        if year_start <= booking.starts_at < year_end:
            row.bookings[booking.starts_at.astimezone(PARIS).month - 1] += 1
    return list(rows.values())
