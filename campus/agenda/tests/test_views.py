"""Who may see and change events on the partner space and the team's back-office."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Event, EventKind, EventState
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.moderation import ModerationStatus
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.trades.tests.factories import TradeFactory
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Lycée Eugène Guillaume")


@pytest.fixture
def editor(organisation):
    return MembershipFactory(organisation=organisation, role=MemberRole.EDITOR).user


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(organisation=organisation, role=MemberRole.VIEWER).user


@pytest.fixture
def outsider():
    return MembershipFactory(role=MemberRole.EDITOR).user


@pytest.fixture
def team():
    return UserFactory(campus_team=True)


@pytest.fixture
def event(organisation):
    return EventFactory(organisation=organisation, submitted=True)


def future(days=20, hour=9):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def form_data(organisation, **changes):
    return {
        "organisation": organisation.pk,
        "title": "Portes ouvertes",
        "kind": EventKind.OPEN_DAY,
        "summary": "",
        "description": "Visite des **ateliers**.",
        "starts_at": future().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": future(hour=12).strftime("%Y-%m-%dT%H:%M"),
        "place_kind": "site",
        "site": "",
        "venue": "",
        "address": "",
        "commune": "",
        "online_url": "",
        "accessibility": "",
        "is_free": "on",
        "price": "",
        "image_alt": "",
        "capacity": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        **changes,
    }


def urls(event):
    return [
        reverse("agenda:event_edit", args=[event.pk]),
        reverse("agenda:event_delete", args=[event.pk]),
        reverse("agenda:event_cancel", args=[event.pk]),
        reverse("agenda:event_postpone", args=[event.pk]),
    ]


def test_anonymous_visitor_is_sent_to_log_in(client, event):
    for url in [reverse("agenda:partner_events"), *urls(event)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("agenda:team_events")).status_code == 302


def test_anonymous_visitor_sees_only_published_events(client, organisation):
    """A submitted, refused or draft event does not exist for the public."""
    published = EventFactory(organisation=organisation)
    assert client.get(published.get_absolute_url()).status_code == 200
    for hidden in [
        EventFactory(submitted=True),
        EventFactory(refused=True),
        EventFactory(draft=True),
    ]:
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_editor_creates_an_event_that_awaits_moderation(client, editor, organisation):
    client.force_login(editor)
    assert client.get(reverse("agenda:event_create")).status_code == 200
    response = client.post(reverse("agenda:event_create"), form_data(organisation))
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.status, event.organisation, event.submitted_by) == (
        ModerationStatus.SUBMITTED,
        organisation,
        editor,
    )
    listing = client.get(reverse("agenda:partner_events")).content.decode()
    assert "Portes ouvertes" in listing
    assert "En attente de validation" in listing


def test_editor_edits_cancels_and_postpones_their_event(client, editor, event):
    client.force_login(editor)
    for url in urls(event):
        assert client.get(url).status_code == 200, url
    response = client.post(
        urls(event)[0],
        form_data(event.organisation, title="Portes ouvertes d'hiver"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Portes ouvertes d'hiver"
    response = client.post(urls(event)[3], {"note": "Travaux.", "starts_at": ""})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.POSTPONED
    response = client.post(urls(event)[2], {"note": "Finalement annulé."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CANCELLED
    assert "Événement annulé" in client.get(event.get_absolute_url()).content.decode()


def test_editor_deletes_their_event_after_confirming(client, editor, event):
    client.force_login(editor)
    url = urls(event)[1]
    assert "Supprimer l'événement" in unescape(client.get(url).content.decode())
    assert client.post(url).status_code == 302
    assert not Event.objects.exists()


def test_deleting_an_event_with_registrants_is_refused(client, editor, event):
    """Registrants must be told: the partner is asked to cancel instead (400)."""
    RegistrationFactory(event=event, confirmed=True)
    client.force_login(editor)
    response = client.post(urls(event)[1])
    assert response.status_code == 400
    assert "annulez l'événement" in unescape(response.content.decode())
    assert Event.objects.filter(pk=event.pk).exists()


def test_viewer_reads_the_list_but_changes_nothing(client, viewer, event):
    client.force_login(viewer)
    listing = client.get(reverse("agenda:partner_events"))
    assert event.title in listing.content.decode()
    assert "Lecture seule" in listing.content.decode()
    assert client.get(event.get_absolute_url()).status_code == 200
    for url in urls(event):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x"}).status_code == 404, url
    # Without an organisation to edit, creating sends back to the list.
    assert client.get(reverse("agenda:event_create")).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.SCHEDULED


def test_editor_of_another_organisation_gets_404_and_changes_nothing(
    client, outsider, event
):
    client.force_login(outsider)
    assert (
        event.title not in client.get(reverse("agenda:partner_events")).content.decode()
    )
    assert client.get(event.get_absolute_url()).status_code == 404
    for url in urls(event):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x"}).status_code == 404, url
    event.refresh_from_db()
    assert (event.state, event.title) == (EventState.SCHEDULED, event.title)
    assert Event.objects.count() == 1


def test_a_tampered_organisation_is_refused(client, editor, organisation):
    """Proposing for an organisation one does not edit is a form error, not a save."""
    client.force_login(editor)
    other = OrganisationFactory()
    response = client.post(reverse("agenda:event_create"), form_data(other))
    assert response.status_code == 400
    assert "Organisation inconnue" in response.content.decode()
    assert not Event.objects.exists()


def test_partners_are_kept_out_of_moderation(client, editor, event):
    client.force_login(editor)
    assert client.get(reverse("agenda:team_events")).status_code == 404
    assert (
        client.post(reverse("agenda:event_publish", args=[event.pk])).status_code == 404
    )
    event.refresh_from_db()
    assert event.status == ModerationStatus.SUBMITTED


def test_team_moderation_lists_proposals_first_and_publishes(client, team, event):
    client.force_login(team)
    EventFactory(title="Déjà publié")
    body = client.get(reverse("agenda:team_events")).content.decode()
    assert event.title in body and "Déjà publié" not in body
    assert (
        client.get(reverse("agenda:team_event_detail", args=[event.pk])).status_code
        == 200
    )
    response = client.post(reverse("agenda:event_publish", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == ModerationStatus.PUBLISHED


def test_team_refuses_with_a_reason(client, team, event):
    client.force_login(team)
    url = reverse("agenda:event_refuse", args=[event.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif du refus" in response.content.decode()
    event.refresh_from_db()
    assert event.status == ModerationStatus.SUBMITTED
    assert client.post(url, {"reason": "Doublon."}).status_code == 302
    event.refresh_from_db()
    assert (event.status, event.refusal_reason) == (
        ModerationStatus.REFUSED,
        "Doublon.",
    )


def test_team_edits_any_event(client, team, event):
    client.force_login(team)
    response = client.post(
        urls(event)[0], form_data(event.organisation, title="Corrigé par l'équipe")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Corrigé par l'équipe"


def test_back_office_shows_the_agenda_card(client, team, event):
    client.force_login(team)
    body = client.get(reverse("profiles:back_office")).content.decode()
    assert "1 événement proposé à valider." in body
    assert reverse("agenda:team_events") in body


def test_open_day_button_prefills_the_form(client, editor, organisation):
    """From an offering, « Ajouter une journée portes ouvertes » opens a prefilled form."""
    offering = OfferingFactory(organisation=organisation)
    client.force_login(editor)
    assert (
        "Ajouter une journée portes ouvertes"
        in client.get(reverse("trainings:partner_offerings")).content.decode()
    )
    response = client.get(
        reverse("agenda:event_create"), {"type": "open_day", "formation": offering.pk}
    )
    form = response.context["form"]
    assert form["kind"].value() == EventKind.OPEN_DAY
    assert form["organisation"].value() == organisation.pk
    assert form["offerings"].value() == [offering.pk]
    # Another school's offering prefills nothing.
    other = OfferingFactory()
    response = client.get(reverse("agenda:event_create"), {"formation": other.pk})
    assert response.context["form"]["offerings"].value() in (None, [])


def test_coming_events_show_on_organisation_offering_and_trade_pages(
    client, organisation
):
    offering = OfferingFactory(organisation=organisation)
    open_day = EventFactory(open_day=True, organisation=organisation)
    open_day.offerings.add(offering)
    past = EventFactory(open_day=True, organisation=organisation, past=True)
    hidden = EventFactory(open_day=True, organisation=organisation, submitted=True)
    for url in [organisation.get_absolute_url(), offering.get_absolute_url()]:
        body = client.get(url).content.decode()
        assert open_day.title in body, url
        assert past.title not in body and hidden.title not in body
    trade = TradeFactory()
    open_day.trades.add(trade)
    assert open_day.title in client.get(trade.get_absolute_url()).content.decode()


def test_partner_and_team_lists_cost_a_fixed_number_of_queries(
    client, editor, team, organisation, django_assert_max_num_queries
):
    """Listing more events costs no more queries, for the partner and the team."""
    EventFactory.create_batch(2, organisation=organisation, submitted=True)
    for user, url, queries in [
        (editor, reverse("agenda:partner_events"), 6),
        (team, reverse("agenda:team_events"), 7),
    ]:
        client.force_login(user)
        with django_assert_max_num_queries(queries):
            client.get(url)
        EventFactory.create_batch(5, organisation=organisation, submitted=True)
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200
