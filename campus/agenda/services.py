"""Workflows of the agenda: proposing, moderating, changing, cancelling and postponing events.

Each runs in a transaction and sends its e-mails once it commits
(`campus.mail.send_templated_email`). A published event that changes for the
people coming (date, place, state) gets its iCalendar `sequence` bumped, so the
calendars that subscribed to it replace their copy.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from campus.accounts.models import User
from campus.agenda.models import Event, EventState, Registration, RegistrationStatus
from campus.agenda.permissions import can_edit_event
from campus.agenda.registration import fill_from_waitlist
from campus.mail import send_templated_email
from campus.moderation import ModerationStatus
from campus.rules import RuleError
from campus.slugs import unique_slug

# The agenda's fixed pages under /agenda/ (campus/agenda/urls.py): no event takes
# their slug, its page would hide them.
RESERVED_SLUGS = {"archives", "mois", "carte", "inscription", "calendrier", "embed"}

# What attendees act upon: a change to one of these is a new version of the event.
ATTENDEE_FIELDS = (
    "starts_at",
    "ends_at",
    "all_day",
    "place_kind",
    "site_id",
    "venue",
    "address",
    "commune_id",
    "online_url",
    "state",
)
# Fields the team does not need to hear about when a partner edits a published event.
BOOKKEEPING_FIELDS = {
    "id",
    "sequence",
    "updated_at",
    "created_at",
    *Event.DECISION_FIELDS,
}
# Registrants told of a cancellation or a postponement: those holding a place
# and those waiting for one.
INFORMED_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

Relations = dict[str, Iterable]


class EventError(RuleError):
    """A step the event's state does not allow; its message is for the user."""

    status_code = 400


def _check_editor(event: Event, acting_user: User) -> None:
    if not can_edit_event(acting_user, event):
        raise EventError(
            "Vous ne pouvez modifier que les événements de vos organisations."
        )


def _check_team(acting_user: User) -> None:
    if not acting_user.is_campus_team:
        raise EventError("Seule l'équipe du campus modère les événements.")


def _set_relations(event: Event, relations: Relations | None) -> None:
    for name, values in (relations or {}).items():
        getattr(event, name).set(values)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _team_emails():
    return User.objects.campus_team().values_list("email", flat=True)


def _informed_registrations(event: Event):
    return Registration.objects.filter(
        event=event, status__in=INFORMED_STATUSES
    ).order_by("pk")


def propose_event(
    event: Event, *, acting_user: User, relations: Relations | None = None
) -> Event:
    """Saves a new event: published at once by the team, else sent to moderation."""
    _check_editor(event, acting_user)
    with transaction.atomic():
        event.slug = unique_slug(
            Event,
            event.title,
            max_length=220,
            default="evenement",
            reserved=RESERVED_SLUGS,
        )
        event.submitted_by = acting_user
        if acting_user.is_campus_team:
            event.record_decision(ModerationStatus.PUBLISHED, acting_user)
        else:
            event.submit(acting_user)
        event.save()
        _set_relations(event, relations)
        if event.status == ModerationStatus.SUBMITTED:
            send_templated_email(
                "agenda/email/event_proposed", {"event": event}, _team_emails()
            )
    return event


def _record_decision(event: Event, status: str, reason: str, acting_user: User):
    """Saves the team's decision on a locked event: its status, the reason of a
    refusal (empty otherwise), who decided and when."""
    event.record_decision(status, acting_user, reason)
    event.save(update_fields=[*Event.DECISION_FIELDS, "updated_at"])


def publish_event(event: Event, *, acting_user: User) -> Event:
    """The team accepts a proposed (or once refused) event and tells its author."""
    _check_team(acting_user)
    with transaction.atomic():
        event = _locked(event)
        if event.status == ModerationStatus.PUBLISHED:
            raise EventError("Cet événement est déjà publié.")
        _record_decision(event, ModerationStatus.PUBLISHED, "", acting_user)
        if event.submitted_by_id and event.submitted_by_id != acting_user.pk:
            send_templated_email(
                "agenda/email/event_published",
                {"event": event},
                [event.submitted_by.email],
            )
    return event


def refuse_event(event: Event, *, reason: str, acting_user: User) -> Event:
    """The team refuses a proposed event; the reason goes to its author."""
    _check_team(acting_user)
    reason = reason.strip()
    if not reason:
        raise EventError("Indiquez le motif du refus : il est envoyé à l'auteur.")
    with transaction.atomic():
        event = _locked(event)
        if event.status != ModerationStatus.SUBMITTED:
            raise EventError("Seul un événement en attente de validation se refuse.")
        _record_decision(event, ModerationStatus.REFUSED, reason, acting_user)
        if event.submitted_by_id:
            send_templated_email(
                "agenda/email/event_refused",
                {"event": event},
                [event.submitted_by.email],
            )
    return event


def update_event(
    event: Event, *, acting_user: User, relations: Relations | None = None
) -> Event:
    """Saves an edited event; a published one changed for attendees gets a new version.

    A partner's refused event goes back to moderation once corrected. A partner's
    published event stays published when edited (people may have registered), and
    the team is told what changed so it can check it after the fact.
    """
    _check_editor(event, acting_user)
    with transaction.atomic():
        before = _locked(event)
        if before.state == EventState.CANCELLED and event.state != before.state:
            raise EventError("Un événement annulé ne peut plus changer de statut.")
        if before.status == ModerationStatus.PUBLISHED and any(
            getattr(before, name) != getattr(event, name) for name in ATTENDEE_FIELDS
        ):
            event.sequence = before.sequence + 1
        resubmitted = (
            before.status == ModerationStatus.REFUSED and not acting_user.is_campus_team
        )
        if resubmitted:
            event.submit(acting_user)
        changed = _changed_fields(before, event)
        event.save()
        _set_relations(event, relations)
        if event.capacity != before.capacity:
            fill_from_waitlist(event)
        if resubmitted:
            send_templated_email(
                "agenda/email/event_proposed", {"event": event}, _team_emails()
            )
        elif (
            before.status == ModerationStatus.PUBLISHED
            and changed
            and not acting_user.is_campus_team
        ):
            send_templated_email(
                "agenda/email/event_changed",
                {"event": event, "changed": changed, "editor": acting_user},
                _team_emails(),
            )
    return event


def _changed_fields(before: Event, after: Event) -> list[str]:
    """The labels of the fields an edit changed, in the form's order."""
    return [
        str(field.verbose_name)
        for field in Event._meta.concrete_fields
        if field.name not in BOOKKEEPING_FIELDS
        and getattr(before, field.attname) != getattr(after, field.attname)
    ]


def _change_state(
    event: Event, *, state: str, note: str, acting_user: User, **dates
) -> Event:
    _check_editor(event, acting_user)
    with transaction.atomic():
        event = _locked(event)
        if event.state == EventState.CANCELLED:
            raise EventError("Cet événement est déjà annulé.")
        if event.ends_at < timezone.now():
            raise EventError("Cet événement est passé : il ne peut plus changer.")
        event.state = state
        event.state_note = note.strip()
        for name, value in dates.items():
            setattr(event, name, value)
        event.sequence += 1
        event.save()
        # One message per registration: registrants never see each other's
        # addresses, and each gets its own cancellation link.
        for registration in _informed_registrations(event):
            send_templated_email(
                f"agenda/email/event_{state}",
                {
                    "event": event,
                    "registration": registration,
                    "new_dates": bool(dates),
                },
                [registration.email],
            )
    return event


def cancel_event(event: Event, *, note: str, acting_user: User) -> Event:
    """Cancels an event; everyone holding or awaiting a place is told by e-mail."""
    return _change_state(
        event, state=EventState.CANCELLED, note=note, acting_user=acting_user
    )


def postpone_event(
    event: Event,
    *,
    note: str,
    acting_user: User,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Event:
    """Postpones an event, to new dates when they are known; registrants are told."""
    if (starts_at is None) != (ends_at is None):
        raise EventError(
            "Indiquez le nouveau début et la nouvelle fin, ou aucun des deux."
        )
    dates = {}
    if starts_at is not None:
        if starts_at <= timezone.now():
            raise EventError("La nouvelle date doit être à venir.")
        if ends_at < starts_at:
            raise EventError("La nouvelle fin doit venir après le nouveau début.")
        dates = {"starts_at": starts_at, "ends_at": ends_at}
    return _change_state(
        event,
        state=EventState.POSTPONED,
        note=note,
        acting_user=acting_user,
        **dates,
    )


def delete_event(event: Event, *, acting_user: User) -> None:
    """Deletes an event nobody has registered for; others are cancelled instead,
    so that their registrants are told."""
    _check_editor(event, acting_user)
    with transaction.atomic():
        event = _locked(event)
        if (
            event.ends_at >= timezone.now()
            and event.registrations.filter(status__in=INFORMED_STATUSES).exists()
        ):
            raise EventError(
                "Des personnes sont inscrites : annulez l'événement plutôt que de le "
                "supprimer, elles seront prévenues par e-mail."
            )
        event.delete()
