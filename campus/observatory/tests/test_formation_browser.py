"""The training and awareness pages, the home's key figures and the team's page of
sources, in Chromium on the demo campus: axe finds nothing at desktop and phone
widths, and nothing overflows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.observatory.models import IndicatorKey, KeyFigure
from campus.observatory.tests.factories import IndicatorFactory
from campus.opendata.importers import urssaf
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.testing.browser import (
    SCREENSHOTS,
    assert_accessible,
    log_in,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1366, 390]


@pytest.fixture
def observatory(demo):
    """The demo campus with a year of Urssaf rows, so the seed key figure has its
    computed twin, and one stale import (ROME)."""
    for commune, value in [("21425", 2100), ("25056", 1650)]:
        IndicatorFactory(
            key=IndicatorKey.SALARIED_HEADCOUNT,
            territory_code=commune,
            year=2023,
            value=Decimal(value),
            source=urssaf.SOURCE,
        )
    # A source the demo does not import itself (it imports Urssaf, Sirene, DEPP).
    ImportRun.objects.create(
        source=ImportSource.ROME,
        file_name="RefRomeCsv.zip",
        licence="Licence Ouverte 2.0",
        attribution="France Travail",
        status=ImportStatus.SUCCEEDED,
        finished_at=timezone.now() - timedelta(days=420),
    )
    return demo


def check(page, width, name):
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"observatory-{name}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/observatoire/formation/", "formation"),
        ("/observatoire/formation/certifications/?territoire=21", "certifications"),
        ("/observatoire/sensibilisation/", "sensibilisation"),
    ],
)
def test_training_and_awareness_pages_are_accessible(
    local_page, observatory, path, name, width
):
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(observatory.url + path)
    expect(page.locator("table").first).to_be_visible()
    check(page, width, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_shows_typed_and_computed_key_figures(local_page, observatory, width):
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(observatory.url + "/")
    figures = page.locator(".figures")
    expect(figures).to_contain_text("4\u202f500")
    expect(figures).to_contain_text(
        "Calculé à partir des données ouvertes : 3\u202f750"
    )
    expect(figures).to_contain_text("offres de formation de la filière")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"home-{width}")
    # The section alone, to look at it without scrolling the whole home page.
    figures.screenshot(path=str(SCREENSHOTS / f"home-key-figures-{width}.png"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_team_reaches_sources_and_key_figures_from_the_back_office(
    local_page, observatory, width
):
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    team = UserFactory(campus_team=True)
    log_in(page, observatory, team.email, TEST_PASSWORD)
    page.goto(observatory.url + "/gestion/")
    page.get_by_role("link", name="Sources et chiffres clés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Observatoire : sources et chiffres clés"
    )
    expect(page.get_by_text("Plus de 13 mois", exact=True)).to_be_visible()
    expect(page.get_by_text("Différents", exact=True)).to_be_visible()
    assert KeyFigure.objects.count() == 2
    check(page, width, "team-sources")
