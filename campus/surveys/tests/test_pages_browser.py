"""The survey link's page in Chromium: a company answers without an account."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.surveys import services
from campus.surveys.demo import OPEN_TITLE
from campus.surveys.models import SurveyInvitation
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_company_fixes_an_error_then_declares_a_need(local_page, demo, viewport):
    """A company opens its link, fixes a zero headcount, declares a need and sees
    it listed; the page is accessible before and after."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    invitation = SurveyInvitation.objects.get(
        campaign__title=OPEN_TITLE, organisation__slug="atelier-cuir-auxois"
    )
    page.goto(demo.url + services.invitation_url(invitation))
    expect(page.get_by_role("heading", name=OPEN_TITLE)).to_be_visible()
    expect(page.get_by_text(invitation.organisation.name).first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"surveys-answer-{viewport}")
    page.get_by_label("Métier (code ROME)").select_option("B1802")
    page.get_by_label("Intitulé du poste").fill("Piqueur / Piqueuse (démo, navigateur)")
    page.get_by_label("Niveau de qualification").select_option("3")
    page.get_by_label("Nombre de personnes").fill("0")
    page.get_by_label("CDI").check()
    page.get_by_label("À pourvoir avant le").fill(
        (timezone.localdate() + timedelta(days=200)).isoformat()
    )
    page.get_by_label("Lieu de travail").fill("Montbard")
    page.get_by_role("button", name="Transmettre ce besoin").click()
    expect(
        page.locator(".field__error", has_text="Indiquez au moins une personne.")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"surveys-answer-error-{viewport}")
    page.get_by_label("Nombre de personnes").fill("2")
    page.get_by_role("button", name="Transmettre ce besoin").click()
    expect(page.get_by_role("heading", name="Besoins déjà transmis")).to_be_visible()
    expect(page.get_by_text("Piqueur / Piqueuse (démo, navigateur)")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"surveys-answer-sent-{viewport}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], width
