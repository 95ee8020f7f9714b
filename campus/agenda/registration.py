"""Registering for an event: double opt-in, capacity, waitlist, reminders, erasure.

A visitor registers without an account; the registration holds no place until
the registrant opens the link e-mailed to them (`CONFIRMATION_HOURS`). On
confirmation it takes its places if enough are free, otherwise it joins the
waitlist, ordered by confirmation time. Whenever places free up (a
cancellation, a larger capacity) the next waiting registrations that fit are
promoted and told by e-mail.

Every step that counts places locks the event row first (`select_for_update`)
inside a transaction, so two people taking the last place at once cannot both
get it: the second waits for the first's commit and counts again. Locks are
always taken event first, then registration, so no two steps deadlock.

Every e-mail carries the registration's cancellation link; the same token
confirms and cancels, and is replaced when the personal data is erased
(`REGISTRATION_RETENTION_DAYS` after the event), so old links stop working.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django_tasks import task

from campus.agenda.models import (
    REGISTRATION_RETENTION_DAYS,
    Event,
    EventState,
    Registration,
    RegistrationStatus,
)
from campus.dates import french_date
from campus.mail import send_templated_email
from campus.moderation import ModerationStatus
from campus.rules import RuleError

# How long the link of the confirmation e-mail works.
CONFIRMATION_HOURS = 48
# Places one person may ask for; a class asks for its pupils and their adults.
MAX_PLACES = 10
MAX_CLASS_PLACES = 45
MAX_PUPILS = 40

ACTIVE_STATUSES = [
    RegistrationStatus.UNCONFIRMED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
]


class RegistrationClosed(RuleError):
    """The event does not take registrations now."""

    status_code = 409
    title = "Inscription impossible"


class RegistrationLinkError(RuleError):
    """A confirmation or cancellation link that has expired or was already used."""

    status_code = 410
    title = "Lien expiré ou déjà utilisé"


class AttendanceError(RuleError):
    status_code = 409


def places_held(event: Event) -> int:
    """Places taken by confirmed registrations."""
    held = event.registrations.holding_places().aggregate(total=Sum("places"))
    return held["total"] or 0


def places_left(event: Event) -> int | None:
    """Free places, or None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - places_held(event), 0)


def closed_reason(event: Event, *, now: datetime | None = None) -> str | None:
    """Why the event takes no registration now, in French; None when it does."""
    now = now or timezone.now()
    if not event.registration_enabled:
        return "L'inscription n'est pas proposée pour cet événement."
    if not event.is_published or not event.organisation.is_published:
        return "Cet événement n'est pas publié : l'inscription n'est pas ouverte."
    if event.state == EventState.CANCELLED:
        return "Cet événement est annulé : l'inscription est fermée."
    if event.starts_at <= now:
        return "Cet événement a déjà commencé ou est passé : l'inscription est fermée."
    if event.registration_opens_at and event.registration_opens_at > now:
        return (
            "L'inscription ouvrira le "
            f"{french_date(event.registration_opens_at, 'heure')}."
        )
    if event.registration_closes_at and event.registration_closes_at <= now:
        return (
            "L'inscription est close depuis le "
            f"{french_date(event.registration_closes_at, 'heure')}."
        )
    return None


def confirmation_deadline(registration: Registration) -> datetime:
    """When the confirmation link stops working: after the delay, or at the start."""
    return min(
        registration.created_at + timedelta(hours=CONFIRMATION_HOURS),
        registration.event.starts_at,
    )


def _email_context(registration: Registration, **extra) -> dict:
    return {
        "registration": registration,
        "event": registration.event,
        "confirmation_hours": CONFIRMATION_HOURS,
        **extra,
    }


def _send(name: str, registration: Registration, **extra) -> None:
    send_templated_email(
        f"agenda/email/{name}",
        _email_context(registration, **extra),
        [registration.email],
    )


def register(event: Event, registration: Registration) -> Registration:
    """Records an unconfirmed registration and e-mails the link that confirms it.

    When the address already has a live registration for the event, nothing is
    recorded and that address is reminded of its links instead: the page says
    the same in both cases, so it tells nobody who has registered.
    """
    with transaction.atomic():
        # Locking the event alone: a join would lock its organisation's row too.
        event = Event.objects.select_for_update().get(pk=event.pk)
        reason = closed_reason(event)
        if reason:
            raise RegistrationClosed(reason)
        if event.capacity is not None and registration.places > event.capacity:
            raise RegistrationClosed(
                f"Cet événement compte {event.capacity} place"
                f"{'s' if event.capacity > 1 else ''} en tout : demandez-en moins."
            )
        now = timezone.now()
        existing = [
            other
            for other in event.registrations.filter(
                email__iexact=registration.email, status__in=ACTIVE_STATUSES
            ).order_by("pk")
            if other.status != RegistrationStatus.UNCONFIRMED
            or confirmation_deadline(other) > now
        ]
        if existing:
            _send("registration_existing", existing[0])
            return existing[0]
        registration.event = event
        registration.status = RegistrationStatus.UNCONFIRMED
        registration.save()
        _send(
            "registration_confirmation",
            registration,
            deadline=confirmation_deadline(registration),
        )
    return registration


def _lock(registration: Registration) -> tuple[Event, Registration]:
    """Locks the registration's event, then the registration; returns them fresh."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    return event, registration


def confirmation_error(
    registration: Registration, *, now: datetime | None = None
) -> str | None:
    """Why the confirmation link no longer works, in French; None when it does."""
    now = now or timezone.now()
    if registration.status != RegistrationStatus.UNCONFIRMED:
        return "Ce lien de confirmation a déjà été utilisé."
    if registration.event.state == EventState.CANCELLED:
        return "Cet événement est annulé : l'inscription ne peut plus être confirmée."
    if confirmation_deadline(registration) <= now:
        return (
            f"Ce lien de confirmation a expiré : il était valable {CONFIRMATION_HOURS} "
            "heures. Inscrivez-vous à nouveau depuis la page de l'événement."
        )
    return None


def confirm_registration(registration: Registration) -> Registration:
    """The registrant opened the link: takes the places if free, else the waitlist."""
    with transaction.atomic():
        event, registration = _lock(registration)
        error = confirmation_error(registration)
        if error:
            raise RegistrationLinkError(error)
        now = timezone.now()
        registration.confirmed_at = now
        free = places_left(event)
        if free is None or registration.places <= free:
            registration.status = RegistrationStatus.CONFIRMED
            template = "registration_confirmed"
        else:
            registration.status = RegistrationStatus.WAITLISTED
            registration.waitlisted_at = now
            template = "registration_waitlisted"
        registration.save(update_fields=["status", "confirmed_at", "waitlisted_at"])
        _send(template, registration)
    return registration


def cancellation_error(
    registration: Registration, *, now: datetime | None = None
) -> str | None:
    now = now or timezone.now()
    if registration.status == RegistrationStatus.CANCELLED:
        return "Cette inscription est déjà annulée."
    if registration.event.starts_at <= now:
        return (
            "Cet événement a déjà commencé : l'inscription ne peut plus être annulée."
        )
    return None


def cancel_registration(registration: Registration) -> Registration:
    """Cancels through the e-mailed link; freed places go to the waitlist."""
    with transaction.atomic():
        event, registration = _lock(registration)
        error = cancellation_error(registration)
        if error:
            raise RegistrationLinkError(error)
        held_places = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if held_places:
            _promote_waitlist(event)
    return registration


def _promote_waitlist(event: Event) -> list[Registration]:
    """Gives free places to the waiting registrations that fit, in their order.

    The caller holds the event's lock. A registration asking for more places
    than are free is skipped, not the whole queue: those behind it may fit.
    """
    if event.state == EventState.CANCELLED or event.starts_at <= timezone.now():
        return []
    free = places_left(event)
    promoted = []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    for registration in waiting.select_for_update():
        if free is not None and registration.places > free:
            continue
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        registration.event = event
        _send("registration_promoted", registration)
        promoted.append(registration)
        if free is not None:
            free -= registration.places
            if free == 0:
                break
    return promoted


def fill_from_waitlist(event: Event) -> list[Registration]:
    """Promotes waiting registrations after the capacity grew; call it after saving
    an event whose capacity changed (a smaller capacity moves nobody out)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        return _promote_waitlist(event)


def set_attendance(
    registration: Registration, *, attended: bool | None, acting_user
) -> Registration:
    """Marks whether a registrant came; from the day of the event on."""
    with transaction.atomic():
        _event, registration = _lock(registration)
        if registration.status != RegistrationStatus.CONFIRMED:
            raise AttendanceError(
                "Seules les personnes inscrites (avec une place) sont pointées."
            )
        if timezone.localdate(registration.event.starts_at) > timezone.localdate():
            raise AttendanceError(
                "La présence se note à partir du jour de l'événement."
            )
        registration.attended = attended
        registration.save(update_fields=["attended"])
    return registration


def reminder_window(now: datetime) -> tuple[datetime, datetime]:
    """Events to remind: from now to the end of tomorrow, Europe/Paris.

    Run daily, this reminds each registrant the day before; a run missed or
    late still reminds the events of the same day that have not started.
    """
    today = timezone.localtime(now).date()
    end = datetime.combine(today + timedelta(days=2), datetime.min.time())
    return now, timezone.make_aware(end)


def send_event_reminders(*, now: datetime | None = None) -> int:
    """E-mails confirmed registrants of the events of tomorrow; once each.

    `reminded_at` is set by a conditional update before the e-mail is queued, so
    two runs at once, or a second run the same day, send nothing twice.
    """
    now = now or timezone.now()
    start, end = reminder_window(now)
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__starts_at__gt=start,
            event__starts_at__lt=end,
            event__status=ModerationStatus.PUBLISHED,
        )
        .exclude(event__state=EventState.CANCELLED)
        .select_related("event__organisation", "event__site")
        .order_by("event__starts_at", "pk")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                _send("registration_reminder", registration)
                sent += 1
    return sent


@task()
def send_event_reminders_task() -> int:
    """The reminders as a background task, for a scheduler that queues tasks."""
    return send_event_reminders()


def erase_past_registrations(
    *, now: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Erases the registrants' personal data REGISTRATION_RETENTION_DAYS after the
    event ends, and deletes registrations never confirmed once their link expired.

    Erased rows keep their anonymous counts (places, pupils, status, attended) for
    the campus's figures; their token is replaced so the old links stop working.
    """
    now = now or timezone.now()
    # Unconfirmed registrations are deleted below, not kept as counts.
    past = (
        Registration.objects.filter(
            event__ends_at__lt=now - timedelta(days=REGISTRATION_RETENTION_DAYS)
        )
        .exclude(email="")
        .exclude(status=RegistrationStatus.UNCONFIRMED)
    )
    expired = Registration.objects.filter(
        status=RegistrationStatus.UNCONFIRMED,
        created_at__lt=now - timedelta(hours=CONFIRMATION_HOURS),
    )
    if dry_run:
        return {
            "registrations_erased": past.count(),
            "unconfirmed_deleted": expired.count(),
        }
    with transaction.atomic():
        erased = past.update(
            name="",
            email="",
            school_name="",
            token=Concat(Value("efface-"), Cast("pk", CharField())),
        )
        deleted, _ = expired.delete()
    return {"registrations_erased": erased, "unconfirmed_deleted": deleted}
