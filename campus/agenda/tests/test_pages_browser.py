from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.agenda.models import Event
from campus.agenda.tests.factories import EventFactory
from campus.moderation import ModerationStatus
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot
from campus.trainings.tests.factories import OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]


def name_of(viewport):
    return "desktop" if viewport["width"] > 800 else "mobile"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_partner_proposes_an_open_day_from_an_offering(
    local_page, live_server, viewport
):
    """From the offering list, the prefilled form shows its French errors, then saves."""
    membership = MembershipFactory(
        role=MemberRole.EDITOR, organisation__name="Lycée Eugène Guillaume"
    )
    OfferingFactory(organisation=membership.organisation)
    page = local_page
    page.set_viewport_size(viewport)
    log_in(page, live_server, membership.user.email, TEST_PASSWORD)
    page.goto(live_server.url + "/espace/formations/")
    page.get_by_role("link", name="Ajouter une journée portes ouvertes").first.click()
    expect(page.get_by_label("Type (obligatoire)")).to_have_value("open_day")
    assert_accessible(page)
    save_screenshot(page, f"agenda-event-form-{name_of(viewport)}")
    yesterday = timezone.localtime() - timedelta(days=1)
    page.get_by_label("Début (obligatoire)").fill(yesterday.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Fin (obligatoire)").fill(yesterday.strftime("%Y-%m-%dT08:00"))
    page.get_by_role("button", name="Proposer l'événement").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Le début est passé").first).to_be_visible()
    expect(page.get_by_text("La fin doit venir après le début.").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-event-form-errors-{name_of(viewport)}")
    assert not Event.objects.exists()
    coming = timezone.localtime() + timedelta(days=20)
    page.get_by_label("Début (obligatoire)").fill(coming.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Fin (obligatoire)").fill(coming.strftime("%Y-%m-%dT12:00"))
    page.get_by_role("button", name="Proposer l'événement").click()
    expect(page.get_by_text("l'équipe du campus le publiera")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-partner-events-{name_of(viewport)}")
    event = Event.objects.get()
    assert event.status == ModerationStatus.SUBMITTED
    assert event.offerings.count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_team_refuses_then_publishes_on_the_moderation_page(
    local_page, live_server, viewport
):
    event = EventFactory(
        submitted=True,
        title="Atelier découverte de la sellerie",
        description="Une matinée à l'atelier.",
    )
    EventFactory(submitted=True, title="Salon des métiers d'art")
    team = UserFactory(campus_team=True)
    page = local_page
    page.set_viewport_size(viewport)
    log_in(page, live_server, team.email, TEST_PASSWORD)
    page.goto(live_server.url + "/gestion/")
    page.get_by_role("link", name="Modérer les événements").click()
    expect(page.get_by_text("2 événements attendent votre validation.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-team-events-{name_of(viewport)}")
    page.get_by_role("link", name="Atelier découverte de la sellerie").click()
    page.get_by_role("button", name="Refuser").click()
    expect(page.get_by_text("Indiquez le motif du refus").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-team-event-{name_of(viewport)}")
    page.get_by_role("button", name="Publier l'événement").click()
    expect(page.get_by_text("est publié.")).to_be_visible()
    event.refresh_from_db()
    assert event.status == ModerationStatus.PUBLISHED
