"""The observatory's pages in Chromium: axe finds nothing, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from campus.observatory.models import IndicatorKey
from campus.observatory.tests.factories import store_urssaf_figures
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures():
    region = RegionFactory()
    cote_dor = DepartementFactory(region=region)
    DepartementFactory(code="25", name="Doubs", region=region)
    CommuneFactory(departement=cote_dor)
    SectorProfile(name="Filière", naf_codes="15.12Z").save()
    CampusProfile.objects.create(region=region)
    store_urssaf_figures(
        [
            (key, "15.12Z", "21425", year, value)
            for year, headcount in [(2019, 110), (2020, 95), (2021, 120), (2022, 130)]
            for key, value in [
                (IndicatorKey.SALARIED_HEADCOUNT, headcount),
                (IndicatorKey.ESTABLISHMENTS, 3),
            ]
        ],
        region_code="27",
    )


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/observatoire/", "home"),
        ("/observatoire/emploi/", "theme"),
        ("/observatoire/emploi/evolution/?territoire=21", "figure"),
        ("/observatoire/definitions/", "glossary"),
        ("/observatoire/definitions/effectifs-salaries/", "definition"),
    ],
)
def test_observatory_pages_are_accessible(
    local_page, live_server, figures, path, name, width
):
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"observatory-{name}-{width}")


def test_choosing_a_territory_keeps_it_in_the_address(local_page, live_server, figures):
    page = local_page
    page.goto(live_server.url + "/observatoire/emploi/")
    page.get_by_label("Territoire").select_option("21")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/observatoire/emploi/?territoire=21")
    expect(page.get_by_role("table").first).to_contain_text("130")
    page.get_by_role(
        "link", name="Salariés et établissements employeurs par année"
    ).click()
    page.wait_for_url("**/observatoire/emploi/evolution/?territoire=21")
