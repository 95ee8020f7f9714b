from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda import services
from campus.agenda.models import Event, EventKind, EventState, RegistrationStatus
from campus.agenda.services import EventError
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.moderation import ModerationStatus
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.places.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return UserFactory(campus_team=True, email="equipe@campus.example")


@pytest.fixture
def editor():
    return MembershipFactory(
        role=MemberRole.EDITOR, user__email="editeur@lycee.fr"
    ).user


def new_event(organisation, **fields):
    start = timezone.now() + timedelta(days=20)
    fields.setdefault("title", "Portes ouvertes du lycée")
    return Event(
        kind=EventKind.OPEN_DAY,
        organisation=organisation,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        **fields,
    )


def test_a_partner_proposal_waits_for_the_team_who_is_told(
    editor, team, run_tasks, django_capture_on_commit_callbacks
):
    """A partner's event is submitted, not public, and the team gets an e-mail."""
    organisation = editor.memberships.get().organisation
    with django_capture_on_commit_callbacks(execute=True):
        event = services.propose_event(new_event(organisation), acting_user=editor)
    assert event.status == ModerationStatus.SUBMITTED
    assert event.submitted_by == editor
    assert event.slug == "portes-ouvertes-du-lycee"
    assert not Event.objects.published().exists()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["equipe@campus.example"]]
    assert "Portes ouvertes du lycée" in mail.outbox[0].body
    assert f"/gestion/evenements/{event.pk}/" in mail.outbox[0].body


def test_the_team_publishes_its_own_event_directly(team, run_tasks):
    """The team's event is published at once, and nobody is asked to moderate it."""
    event = services.propose_event(new_event(OrganisationFactory()), acting_user=team)
    assert event.status == ModerationStatus.PUBLISHED
    assert event.decided_by == team
    assert list(Event.objects.published()) == [event]
    run_tasks()
    assert mail.outbox == []


@pytest.mark.parametrize("title", ["Archives", "Mois", "Carte", "Inscription"])
def test_an_event_never_takes_the_address_of_an_agenda_page(team, client, title):
    """An event called « Archives » gets another slug: /agenda/archives/ stays the archive."""
    event = services.propose_event(
        new_event(OrganisationFactory(), title=title), acting_user=team
    )
    assert event.slug == f"{title.lower()}-2"
    assert client.get(event.get_absolute_url()).context["event"] == event


def test_proposing_for_another_organisation_is_refused(editor):
    """A partner cannot propose an event for an organisation they do not edit."""
    with pytest.raises(EventError, match="vos organisations"):
        services.propose_event(new_event(OrganisationFactory()), acting_user=editor)
    assert not Event.objects.exists()


def test_publishing_tells_the_author(
    editor, team, run_tasks, django_capture_on_commit_callbacks
):
    """Once published, the author learns it by e-mail with the public address."""
    event = EventFactory(submitted=True, submitted_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event, acting_user=team)
    event.refresh_from_db()
    assert event.status == ModerationStatus.PUBLISHED
    assert event.decided_by == team
    run_tasks()
    assert mail.outbox[0].to == ["editeur@lycee.fr"]
    assert event.get_absolute_url() in mail.outbox[0].body


def test_refusal_sends_the_reason_to_the_author(
    editor, team, run_tasks, django_capture_on_commit_callbacks
):
    """A refused event keeps its reason, which is e-mailed to the author."""
    event = EventFactory(submitted=True, submitted_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_event(
            event, reason="La date tombe pendant le salon.", acting_user=team
        )
    event.refresh_from_db()
    assert event.status == ModerationStatus.REFUSED
    assert event.refusal_reason == "La date tombe pendant le salon."
    run_tasks()
    assert mail.outbox[0].to == ["editeur@lycee.fr"]
    assert "La date tombe pendant le salon." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("reason", "status", "message"),
    [
        ("   ", ModerationStatus.SUBMITTED, "motif"),
        ("Trop tard", ModerationStatus.PUBLISHED, "en attente"),
    ],
)
def test_refusing_needs_a_reason_and_a_waiting_event(team, reason, status, message):
    """No refusal without a reason, and a published event is not refused."""
    event = EventFactory(status=status)
    with pytest.raises(EventError, match=message):
        services.refuse_event(event, reason=reason, acting_user=team)
    event.refresh_from_db()
    assert event.status == status


def test_only_the_team_moderates(editor):
    """A partner cannot publish, even their own event."""
    event = EventFactory(
        submitted=True, organisation=editor.memberships.get().organisation
    )
    with pytest.raises(EventError, match="équipe"):
        services.publish_event(event, acting_user=editor)
    with pytest.raises(EventError, match="équipe"):
        services.publish_event(EventFactory(), acting_user=UserFactory())


def test_publishing_twice_is_refused(team):
    with pytest.raises(EventError, match="déjà publié"):
        services.publish_event(EventFactory(), acting_user=team)


def test_changing_date_or_place_of_a_published_event_bumps_its_sequence(team):
    """Calendars get a new version when the date or place changes, not the title."""
    event = EventFactory()
    event.title = "Nouveau titre"
    services.update_event(event, acting_user=team)
    assert Event.objects.get(pk=event.pk).sequence == 0
    event.starts_at += timedelta(hours=1)
    services.update_event(event, acting_user=team)
    assert Event.objects.get(pk=event.pk).sequence == 1
    event.place_kind, event.online_url = "online", "https://visio.example.org/a"
    services.update_event(event, acting_user=team)
    assert Event.objects.get(pk=event.pk).sequence == 2


def test_a_draft_changes_without_new_version(team):
    event = EventFactory(submitted=True)
    event.starts_at += timedelta(days=1)
    services.update_event(event, acting_user=team)
    assert Event.objects.get(pk=event.pk).sequence == 0


def test_a_corrected_refused_event_goes_back_to_moderation(
    editor, team, run_tasks, django_capture_on_commit_callbacks
):
    event = EventFactory(
        refused=True, organisation=editor.memberships.get().organisation
    )
    event.title = "Portes ouvertes corrigées"
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event, acting_user=editor)
    assert Event.objects.get(pk=event.pk).status == ModerationStatus.SUBMITTED
    run_tasks()
    assert mail.outbox[0].to == ["equipe@campus.example"]


def test_a_partner_edit_of_a_published_event_stays_published_and_the_team_is_told(
    editor, team, run_tasks, django_capture_on_commit_callbacks
):
    """The team hears which fields a partner changed on a live event, and nothing
    when the partner saves it unchanged or when the team edits it itself."""
    event = EventFactory(organisation=editor.memberships.get().organisation)
    assert event.status == ModerationStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(Event.objects.get(pk=event.pk), acting_user=editor)
    event = Event.objects.get(pk=event.pk)
    event.title = "Portes ouvertes (nouvelle formule)"
    event.description = "Venez avec vos parents."
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event, acting_user=editor)
    team_copy = Event.objects.get(pk=event.pk)
    team_copy.description = "Corrigé par l'équipe."
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(team_copy, acting_user=team)
    assert Event.objects.get(pk=event.pk).status == ModerationStatus.PUBLISHED
    run_tasks()
    assert [m.to for m in mail.outbox] == [["equipe@campus.example"]]
    body = mail.outbox[0].body
    assert "Portes ouvertes (nouvelle formule)" in body
    assert "Champs modifiés : titre, description." in body
    assert f"/gestion/evenements/{event.pk}/" in body


def registrants(event):
    return {
        status: RegistrationFactory(
            event=event, status=status, email=f"{status}@example.org"
        )
        for status in RegistrationStatus.values
    }


def test_cancelling_tells_those_holding_or_awaiting_a_place(
    team, run_tasks, django_capture_on_commit_callbacks
):
    """Confirmed and waitlisted registrants are told, each in a message of their own;
    unconfirmed and cancelled are not."""
    event = EventFactory(with_registration=True)
    registrants(event)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event, note="Grève des transports.", acting_user=team)
    event.refresh_from_db()
    assert event.state == EventState.CANCELLED
    assert event.state_note == "Grève des transports."
    assert event.sequence == 1
    run_tasks()
    assert sorted(message.to for message in mail.outbox) == [
        ["confirmed@example.org"],
        ["waitlisted@example.org"],
    ]
    for message in mail.outbox:
        assert message.subject == f"Annulé : {event.title}"
        assert "Grève des transports." in message.body


def test_postponing_to_new_dates_moves_the_event_and_tells_registrants(
    team, run_tasks, django_capture_on_commit_callbacks
):
    event = EventFactory(with_registration=True)
    registrants(event)
    starts = (timezone.now() + timedelta(days=60)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.postpone_event(
            event,
            note="Les ateliers sont en travaux.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            acting_user=team,
        )
    event.refresh_from_db()
    assert (event.state, event.starts_at, event.sequence) == (
        EventState.POSTPONED,
        starts,
        1,
    )
    run_tasks()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [registration] = event.registrations.filter(email=message.to[0])
        assert "reporté : il aura lieu" in message.body
        assert "reste valable" in message.body
        # Still registered for the new date, each can give up their own place.
        assert registration.get_cancellation_url() in message.body


def test_a_larger_capacity_gives_places_to_the_waitlist(team, run_tasks):
    """Raising the capacity of a full event promotes those waiting, who are told."""
    event = EventFactory(with_registration=True, capacity=1)
    registrants(event)
    waiting = event.registrations.get(email="waitlisted@example.org")
    event.capacity = 5
    services.update_event(event, acting_user=team)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_postponing_without_dates_keeps_them(team):
    event = EventFactory()
    before = event.starts_at
    services.postpone_event(event, note="Date à venir.", acting_user=team)
    event.refresh_from_db()
    assert (event.state, event.starts_at) == (EventState.POSTPONED, before)


def in_days(days, hours=0):
    return timezone.now() + timedelta(days=days, hours=hours)


@pytest.mark.parametrize(
    ("factory", "dates", "message"),
    [
        ({"cancelled": True}, {}, "déjà annulé"),
        ({"past": True}, {}, "passé"),
        ({}, {"starts_at": in_days(30)}, "ou aucun"),
        ({}, {"starts_at": in_days(-1), "ends_at": in_days(-1, 2)}, "à venir"),
        ({}, {"starts_at": in_days(5), "ends_at": in_days(5, -1)}, "après"),
    ],
)
def test_a_broken_postponement_changes_nothing(team, factory, dates, message):
    """Postponing a cancelled or past event, or to impossible dates, is refused."""
    event = EventFactory(**factory)
    before = (event.state, event.starts_at, event.sequence)
    with pytest.raises(EventError, match=message):
        services.postpone_event(event, note="x", acting_user=team, **dates)
    event.refresh_from_db()
    assert (event.state, event.starts_at, event.sequence) == before


def test_a_cancelled_event_cannot_be_revived_by_editing(team):
    event = EventFactory(cancelled=True)
    event.state = EventState.SCHEDULED
    with pytest.raises(EventError, match="annulé"):
        services.update_event(event, acting_user=team)
    assert Event.objects.get(pk=event.pk).state == EventState.CANCELLED


def test_an_event_with_registrants_is_cancelled_rather_than_deleted(team):
    event = EventFactory(with_registration=True)
    RegistrationFactory(event=event, confirmed=True)
    with pytest.raises(EventError, match="annulez"):
        services.delete_event(event, acting_user=team)
    assert Event.objects.filter(pk=event.pk).exists()
    services.delete_event(EventFactory(), acting_user=team)
    assert Event.objects.count() == 1


def test_an_event_copies_the_place_of_its_site_organiser_or_commune():
    """The map reads one table: the point and commune come from where the event is."""
    montbard = CommuneFactory(
        insee_code="21425", name="Montbard", latitude=47.62, longitude=4.34
    )
    dijon = CommuneFactory(
        insee_code="21231", name="Dijon", latitude=47.32, longitude=5.04
    )
    organisation = OrganisationFactory(commune=montbard, latitude=47.6, longitude=4.3)
    at_head_office = EventFactory(organisation=organisation)
    assert (at_head_office.commune, at_head_office.latitude) == (montbard, 47.6)
    at_address = EventFactory(
        organisation=organisation, place_kind="address", commune=dijon
    )
    assert (at_address.latitude, at_address.longitude) == (47.32, 5.04)
    online = EventFactory(
        organisation=organisation,
        place_kind="online",
        online_url="https://visio.example.org/",
    )
    assert (online.commune, online.latitude) == (None, None)
