"""The changed search and training pages in Chromium at 1366 and 390 px, checked by axe."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import SectorProfile
from campus.testing.browser import (
    assert_accessible,
    log_in,
    open_filters,
    save_screenshot,
)
from campus.trades.tests.factories import TradeFactory
from campus.trainings.models import InsertionOutcome, Route
from campus.trainings.tests.factories import OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1366, 390]


@pytest.fixture
def school():
    SectorProfile(name="Maroquinerie", synonyms="sac → maroquinerie").save()
    besancon = CommuneFactory(
        insee_code="25056",
        name="Besançon",
        postal_codes="25000",
        departement=DepartementFactory(code="25", name="Doubs"),
        latitude=47.24,
        longitude=6.02,
        population=119198,
    )
    school = OrganisationFactory(
        name="Lycée Jules Haag",
        school=True,
        commune=besancon,
        email="contact@lycee.example",
        phone="03 81 00 00 00",
    )
    cap = OfferingFactory(
        organisation=school,
        certification__title="CAP Maroquinerie",
        certification__rome_codes="B1802",
        url="https://lycee.example/cap",
    )
    OfferingFactory(
        organisation=school, certification=cap.certification, apprenticeship=True
    )
    OfferingFactory(certification__title="CAP Sellerie générale")
    InsertionOutcome.objects.create(
        organisation=school,
        certification=cap.certification,
        route=Route.SCHOOL,
        cohort="cumul 2022-2023",
        further_study_rate=Decimal("45.0"),
        employment_rate_6_months=Decimal("38.5"),
        source="InserJeunes",
        source_licence="Licence Ouverte",
    )
    TradeFactory(name="Maroquinier", slug="maroquinier", rome_codes="B1802")
    return school


@pytest.mark.parametrize("width", WIDTHS)
def test_catalogue_reads_a_place_and_a_trade(local_page, live_server, school, width):
    """« sac besançon » searches bags near Besançon; the trade select filters by name."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/formations/?q=sac+besançon")
    expect(page.locator("#results-count")).to_have_text(
        "2 formations trouvées à moins de 30 km"
    )
    expect(page.get_by_text("Commune reconnue dans la recherche")).to_contain_text(
        "Besançon"
    )
    open_filters(page)
    page.get_by_label("Métier").select_option(label="Maroquinier")
    page.wait_for_url("**metier=maroquinier**")
    assert "voie=" not in page.url and "niveau=" not in page.url
    assert_accessible(page)
    save_screenshot(page, f"search-place-trade-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_training_page_says_how_to_apply(local_page, live_server, school, width):
    """A CAP in school points to Affelnet and the school's page, with its figures."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/formations/?voie=scolaire&q=maroquinerie")
    page.locator("#results").get_by_role("link", name="CAP Maroquinerie").click()
    apply = page.locator("section.apply")
    expect(apply.get_by_role("heading", name="Après la 3e : Affelnet")).to_be_visible()
    expect(
        apply.get_by_role("link", name="Aller sur le service en ligne Affectation")
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("38,5 %")
    assert_accessible(page)
    save_screenshot(page, f"training-how-to-apply-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_organisation_page_lists_its_trainings(local_page, live_server, school, width):
    """The school's page lists its trainings by route."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + school.get_absolute_url())
    section = page.locator("section", has=page.locator("#offerings-title"))
    expect(section.get_by_role("listitem")).to_have_count(2)
    assert_accessible(page)
    save_screenshot(page, f"organisation-trainings-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_trade_page_without_content_hides_empty_sections(
    local_page, live_server, width
):
    """A bare trade page shows no empty heading and stays accessible."""
    trade = TradeFactory(name="Plumassier", rome_codes="")
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + trade.get_absolute_url())
    expect(page.get_by_role("heading", name="Savoir-faire")).to_have_count(0)
    assert_accessible(page)
    save_screenshot(page, f"trade-bare-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_team_edits_the_synonyms(local_page, live_server, width):
    """The sector form explains a wrong synonym line, then saves the corrected one."""
    team = UserFactory(campus_team=True)
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, team.email, TEST_PASSWORD)
    page.goto(live_server.url + "/gestion/filiere/")
    page.get_by_label("Filière").fill("Maroquinerie")
    field = page.get_by_label("Synonymes de la recherche")
    field.fill("alternance = apprentissage\nsac")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Ligne 2 : « sac » n'est ni un groupe").first
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"sector-synonyms-error-{width}")
    field = page.get_by_label("Synonymes de la recherche")
    field.fill("alternance = apprentissage\nsac → maroquinerie")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le profil de la filière est enregistré.")).to_be_visible()
    assert SectorProfile.load().synonyms.endswith("sac → maroquinerie")
