"""The employment theme in real headless Chromium: readable, accessible, at 1366 and
390 px, on the figures of the real importer."""

import pytest
from playwright.sync_api import expect

from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile, SectorProfile
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


@pytest.fixture
def employment():
    cote_dor = DepartementFactory()
    doubs = DepartementFactory(code="25", name="Doubs")
    CommuneFactory()
    CommuneFactory(insee_code="21231", name="Dijon")
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor, doubs])
    SectorProfile(name="Maroquinerie", naf_codes="15.11Z, 15.12Z, 14.11Z").save()
    run = run_import("urssaf", fixture_path("urssaf-commune-ape.csv"))
    assert run.status == ImportStatus.SUCCEEDED, run.error


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("territoire", ["", "france"])
def test_employment_theme_is_accessible(
    local_page, live_server, employment, viewport, territoire
):
    """Every employment figure shows its table, and the page has no axe violation."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    query = f"?territoire={territoire}" if territoire else ""
    page.goto(f"{live_server.url}/observatoire/emploi/{query}")
    expect(page.get_by_role("heading", name="Emploi", level=1)).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name="Salariés et établissements employeurs par code NAF"
        )
    ).to_be_visible()
    expect(
        page.get_by_role("cell", name="Fabrication de vêtements en cuir")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"observatory-emploi-{territoire or 'region'}-{viewport}")


def test_a_commune_link_opens_the_commune(local_page, live_server, employment):
    """A commune of the ranking leads to the same figures for that commune."""
    page = local_page
    page.goto(f"{live_server.url}/observatoire/emploi/communes/")
    page.get_by_role("link", name="Montbard (21425)").click()
    page.wait_for_url("**territoire=21425")
    expect(page.locator(".figure__meta").first).to_contain_text("Montbard (21425)")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_departement_ranking_is_drawn_on_its_communes(
    local_page, live_server, employment, viewport
):
    """A département's ranking of communes is shaded on the map of its communes,
    beside the same table; the page passes axe and prints the map."""
    page = local_page
    size = VIEWPORTS[viewport]
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/observatoire/emploi/communes/?territoire=21")
    drawn = page.locator(".choropleth--communes")
    expect(drawn).to_be_visible()
    expect(drawn).to_have_attribute("aria-hidden", "true")
    expect(drawn).to_contain_text("Salariés (salariés) par commune")
    expect(page.get_by_role("rowheader", name="Montbard (21425)")).to_be_visible()
    box = drawn.locator("svg").first.bounding_box()
    assert 300 < box["width"] <= size["width"] and box["height"] > 250
    assert_accessible(page)
    save_screenshot(page, f"observatory-emploi-communes-21-{viewport}")
    page.goto(f"{live_server.url}/observatoire/emploi/?territoire=21")
    expect(page.locator(".choropleth--communes")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"observatory-emploi-21-{viewport}")
    page.emulate_media(media="print")
    expect(page.locator(".choropleth--communes")).to_be_visible()
    save_screenshot(page, f"observatory-emploi-21-print-{viewport}")
