from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.outreach.demo import load_demo_outreach
from campus.testing.browser import (
    assert_accessible,
    assert_filter_error_after_swap,
    log_in,
    open_filters,
    save_screenshot,
)
from campus.trades.demo import load_demo_trades
from campus.trades.models import KnowHow, Trade
from campus.trades.services import record_assessment
from campus.trades.tests.factories import OnisepJobFactory, TradeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


def loaded_width(image) -> int:
    """The image's width once the browser has loaded it (it may still be loading)."""
    image.scroll_into_view_if_needed()
    return image.evaluate("img => img.decode().then(() => img.naturalWidth)")


@pytest.fixture
def demo_trades():
    for slug in ["atelier-cuir-auxois", "sellerie-auxerrois", "bijoux-de-sac-doubs"]:
        OrganisationFactory(slug=slug, name=f"{slug} (démo)", is_demo=True)
    load_demo_trades()
    load_demo_outreach()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_trade_catalogue_filters_and_is_accessible(
    local_page, live_server, demo_trades, viewport
):
    """/metiers/ lists the trades, filters métiers d'art, and has no axe violation."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + "/metiers/")
    expect(page.get_by_role("heading", name="Les métiers", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Maroquinier", exact=True)).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"trades-list-{viewport}")
    open_filters(page)
    page.get_by_label("Métiers d'art seulement").check()
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**metiers_art=on**")
    assert page.get_by_role("link", name="Prototypiste en maroquinerie").count() == 0
    expect(page.get_by_role("link", name="Gainier", exact=True)).to_be_visible()


def test_trade_catalogue_shows_a_filter_error_after_an_htmx_swap(
    local_page, live_server, demo_trades
):
    """An unknown domain sent through the htmx form shows its French message, accessibly."""
    assert_filter_error_after_swap(
        local_page,
        live_server.url + "/metiers/",
        select="Domaine des métiers d'art",
        message="Domaine inconnu : choisissez-en un dans la liste.",
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_trade_page_shows_know_how_and_showcase(
    local_page, live_server, demo_trades, viewport
):
    """A trade page shows its ROME code, know-how and showcase images, accessibly."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(
        live_server.url + Trade.objects.get(slug="maroquinier").get_absolute_url()
    )
    expect(page.get_by_role("heading", name="Maroquinier", level=1)).to_be_visible()
    expect(page.get_by_text("B1802", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Couture sellier à la main")).to_be_visible()
    expect(page.get_by_text("Découvrir un atelier de maroquinerie")).to_be_visible()
    image = page.get_by_role(
        "img", name="Sac cousu sellier : sac en cuir de veau, cousu main."
    )
    assert loaded_width(image) == 1200
    assert_accessible(page)
    save_screenshot(page, f"trade-detail-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_trade_page_links_to_onisep_fiches(
    local_page, live_server, demo_trades, viewport
):
    """The ONISEP fiches of a trade are links named for onisep.fr, with their licence."""
    OnisepJobFactory(label="maroquinier / maroquinière", onisep_id="MET.566")
    OnisepJobFactory(label="sellier / sellière", onisep_id="MET.98", publications=[])
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(
        live_server.url + Trade.objects.get(slug="maroquinier").get_absolute_url()
    )
    section = page.get_by_role("region", name="Fiches métiers de l'ONISEP")
    link = section.get_by_role(
        "link", name="Maroquinier / maroquinière : fiche métier sur onisep.fr"
    )
    expect(link).to_be_visible()
    assert link.get_attribute("href").endswith("/slug/MET.566")
    expect(section.get_by_text("Source : ONISEP, Idéo — licence ODbL")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"trade-onisep-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_at_risk_list_orders_by_level(local_page, live_server, demo_trades, viewport):
    """The at-risk page lists critical know-how first and leaves viable ones out."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + "/metiers/savoir-faire-menaces/")
    names = page.locator("ol.result-list h2").all_inner_texts()
    assert names[:2] == ["Fabrication du parchemin", "Tannage végétal en fosse"]
    assert "Couture sellier à la main" not in names
    assert_accessible(page)
    save_screenshot(page, f"at-risk-{viewport}")


def test_know_how_page_is_accessible(local_page, live_server, demo_trades):
    """A know-how page with its level badge has no axe violation."""
    know_how = KnowHow.objects.get(slug="gainerie-ecrin-cuir")
    record_assessment(
        know_how,
        holder_count=4,
        senior_holder_count=2,
        trainee_count=1,
        training_count=0,
        assessed_on=date(2026, 6, 1),
        acting_user=None,
    )
    local_page.goto(live_server.url + know_how.get_absolute_url())
    expect(local_page.get_by_text("Menacé", exact=True)).to_be_visible()
    assert_accessible(local_page)
    save_screenshot(local_page, "know-how-detail")


def test_organisation_page_shows_its_showcase(local_page, live_server, demo_trades):
    """An organisation's directory page shows its showcase items with their text alternatives."""
    local_page.goto(live_server.url + "/annuaire/atelier-cuir-auxois/")
    expect(
        local_page.get_by_role("heading", name="Savoir-faire en images")
    ).to_be_visible()
    expect(
        local_page.get_by_role(
            "img", name="Sac cousu sellier : sac en cuir de veau, cousu main."
        )
    ).to_be_visible()
    assert_accessible(local_page)
    save_screenshot(local_page, "organisation-showcase")


def test_team_sees_criteria_and_evolution(local_page, live_server, demo_trades):
    """The team's know-how page states the thresholds and the history, accessibly."""
    team = UserFactory(campus_team=True, email="equipe@campus.fr")
    log_in(local_page, live_server, team.email, TEST_PASSWORD)
    know_how = KnowHow.objects.get(slug="gainerie-ecrin-cuir")
    local_page.goto(live_server.url + f"/gestion/savoir-faire/{know_how.pk}/")
    local_page.get_by_text("Comment le niveau de menace est calculé").click()
    expect(local_page.get_by_text("15 ou plus : 0 point", exact=False)).to_be_visible()
    assert local_page.locator("table tbody tr").count() == 2
    assert_accessible(local_page)
    save_screenshot(local_page, "team-know-how")
    local_page.get_by_label("Nombre de détenteurs").fill("1")
    local_page.get_by_label("Dont détenteurs de 55 ans ou plus").fill("1")
    local_page.get_by_label("Apprentis ou élèves en formation").fill("0")
    local_page.get_by_role("button", name="Calculer et enregistrer").click()
    expect(local_page.get_by_text("Évaluation enregistrée : critique.")).to_be_visible()
    assert local_page.locator("table tbody tr").count() == 3


def test_partner_uploads_a_showcase_image(local_page, live_server, tmp_path):
    """An editor adds a work with an image through the form; a text file is refused first."""
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Sellerie du Morvan"),
        user=UserFactory(email="artisan@sellerie.fr"),
    )
    TradeFactory(name="Sellier-harnacheur")
    photo, fake = tmp_path / "selle.png", tmp_path / "selle.jpg"
    Image.new("RGB", (2400, 1600), (110, 60, 20)).save(photo)
    fake.write_text("pas une image")
    page = local_page
    log_in(page, live_server, membership.user.email, TEST_PASSWORD)
    page.goto(live_server.url + "/espace/")
    page.get_by_role("link", name="Vitrine des savoir-faire").click()
    page.get_by_role("link", name="Ajouter une réalisation").click()
    page.get_by_label("Organisation").select_option(label="Sellerie du Morvan")
    page.get_by_label("Titre").fill("Selle de dressage")
    page.get_by_label("Image (obligatoire)", exact=True).set_input_files(str(fake))
    page.get_by_label("Texte alternatif de l'image").fill(
        "Selle de dressage en cuir fauve"
    )
    page.get_by_label("Sellier-harnacheur").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "showcase-form-errors")
    page.get_by_label("Image (obligatoire)", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Enregistrer").click()
    image = page.get_by_role("img", name="Selle de dressage en cuir fauve")
    assert loaded_width(image) == 1600
    assert_accessible(page)
    save_screenshot(page, "showcase-list")
