"""The equipment page in Chromium: its week calendar, then the booking request form."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory
from campus.platforms.models import Booking
from campus.platforms.tests.factories import BookingFactory, EquipmentFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]


def name_of(viewport):
    return "desktop" if viewport["width"] > 800 else "mobile"


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_partner_reads_the_calendar_and_requests_a_slot(
    local_page, live_server, viewport
):
    """The week shows the approved slot as « Réservé »; the request form shows its
    French errors, then sends the request."""
    equipment = EquipmentFactory(name="Pareuse")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    BookingFactory(
        equipment=equipment,
        approved=True,
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9))),
        ends_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(12))),
    )
    membership = MembershipFactory(role=MemberRole.VIEWER)
    page = local_page
    page.set_viewport_size(viewport)
    log_in(page, live_server, membership.user.email, TEST_PASSWORD)
    week = tomorrow.isocalendar()
    page.goto(
        f"{live_server.url}{equipment.get_absolute_url()}"
        f"?semaine={week[0]}-W{week[1]:02d}"
    )
    expect(page.get_by_role("table")).to_contain_text("Réservé de 9 h à 12 h")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    save_screenshot(page, f"platforms-equipment-{name_of(viewport)}")
    page.get_by_role("link", name="Demander un créneau").click()
    day = (tomorrow + dt.timedelta(days=1)).isoformat()
    page.get_by_label("Début (obligatoire)").fill(f"{day}T12:00")
    page.get_by_label("Fin (obligatoire)").fill(f"{day}T09:00")
    page.get_by_label("Objet (obligatoire)").fill("Parage d'une série.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(
        page.get_by_text("La fin du créneau doit venir après son début.").first
    ).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    save_screenshot(page, f"platforms-booking-form-errors-{name_of(viewport)}")
    page.get_by_label("Fin (obligatoire)").fill(f"{day}T15:00")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("est envoyée à la plateforme")).to_be_visible()
    assert Booking.objects.filter(purpose="Parage d'une série.").exists()
