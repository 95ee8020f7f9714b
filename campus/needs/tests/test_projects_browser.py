"""The training projects in Chromium: the team opens one from the gap view and
records its next step without a reload; the demo project's timeline."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.demo import DEMO_PASSWORD
from campus.needs.models import Step, TrainingProject
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_team_opens_a_project_and_records_a_step(local_page, demo, viewport):
    """From a gap row to a project page whose step form swaps the timeline in place."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/gestion/besoins/projets/")
    page.get_by_role("link", name=re.compile("Licence professionnelle")).click()
    expect(page.get_by_role("heading", name="Étapes")).to_be_visible()
    expect(page.get_by_text("Toutes les étapes sont notées.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"projects-demo-detail-{viewport}")
    page.goto(demo.url + "/gestion/besoins/")
    page.get_by_role(
        "link", name=re.compile("^Ouvrir un projet de formation")
    ).first.click()
    page.get_by_label("Intitulé du projet").fill("Session piqûre sellier")
    page.get_by_label("Session de formation continue").check()
    page.get_by_role("button", name="Ouvrir le projet").click()
    expect(page.get_by_text("est ouvert")).to_be_visible()
    page.get_by_label("Date").fill("2000-01-01")
    page.get_by_role("button", name="Noter l'étape").click()
    expect(page.get_by_role("alert")).to_contain_text("ne peut pas précéder")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Note").fill("Le lycée de Montbard accueille la session.")
    url = page.url
    page.get_by_role("button", name="Noter l'étape").click()
    expect(page.locator("#progress").get_by_role("status")).to_have_text(
        "Étape notée : Partenaires et établissement trouvés."
    )
    assert page.url == url
    expect(page.locator("#history")).to_contain_text("Partenaires et établissement")
    expect(page.get_by_label("Code RNCP de la certification choisie")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"projects-detail-{viewport}")
    project = TrainingProject.objects.get(title="Session piqûre sellier")
    assert project.current_step == Step.PARTNERS_FOUND
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page)
