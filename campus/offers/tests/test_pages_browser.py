from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.demo import DEMO_PASSWORD
from campus.offers.models import Offer
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
def test_offers_list_filters_and_offer_page_are_accessible(local_page, demo, viewport):
    """The demo offers list filters with htmx, and the list and an offer pass axe
    at both widths, with no horizontal scroll at 320 px."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(demo.url + "/offres/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Offres d'apprentissage, de stage et d'emploi"
    )
    expect(page.locator("#results-count")).to_contain_text("4 offres")
    expect(page.get_by_text("Démo").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"offers-list-{viewport}")
    if viewport == "mobile":
        page.locator(".filters__toggle").click()
    page.get_by_label("Type d'offre").select_option(label="Stage")
    expect(page.locator("#results-count")).to_contain_text("1 offre")
    expect(page).to_have_url(demo.url + "/offres/?contrat=stage")
    # « Télécharger » follows the filters through the htmx swap.
    expect(page.locator("#results .downloads a").first).to_have_attribute(
        "href", "/telecharger/offres.csv?contrat=stage"
    )
    # The browser itself refuses 9999 in the number field: the address carries it.
    page.goto(demo.url + "/offres/?commune=25056&rayon=9999")
    expect(page.locator("#results")).to_contain_text(
        "La distance est limitée à 200 km."
    )
    assert_accessible(page)
    page.goto(demo.url + "/offres/")
    page.get_by_role(
        "link", name="Apprenti piqueur / apprentie piqueuse en maroquinerie (H/F)"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Apprenti piqueur / apprentie piqueuse en maroquinerie (H/F)"
    )
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    assert_accessible(page)
    save_screenshot(page, f"offers-detail-{viewport}")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page)
    page.goto(demo.url + "/offres/")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_partner_publishes_an_offer_after_fixing_errors(local_page, demo, viewport):
    """An editor is told in French what is wrong, fixes it, publishes the offer and
    renews another one from the partner space."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, demo, "editeur.entreprise@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/espace/offres/")
    expect(
        page.get_by_role("heading", name="Offres de mes organisations")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"offers-partner-list-{viewport}")
    page.get_by_role("link", name="Publier une offre").click()
    page.get_by_label("Entreprise ou organisation").select_option(
        label="Bijoux de sac du Doubs (démo)"
    )
    page.get_by_label("Type d'offre").select_option(label="Apprentissage")
    page.get_by_label("Intitulé du poste").fill("Apprentie polisseuse (H/F)")
    page.get_by_label("Métier (fiche ROME)").select_option("B1610")
    page.get_by_label("Commune du poste").fill("25000 Besançon")
    page.get_by_label("Date de début").fill("2001-09-01")
    page.get_by_label("Nombre de postes").fill("-2")
    page.get_by_label("Description").fill("<script>alert(1)</script>")
    page.get_by_role("button", name="Publier l'offre").click()
    expect(page.get_by_text("La date de début est passée.").first).to_be_visible()
    expect(page.get_by_text("Indiquez comment candidater").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"offers-form-errors-{viewport}")
    page.get_by_label("Date de début").fill(
        (timezone.localdate() + timedelta(days=90)).isoformat()
    )
    page.get_by_label("Nombre de postes").fill("1")
    page.get_by_label("Description").fill("Polissage des **fermoirs** en laiton.")
    page.get_by_label("E-mail de candidature").fill("atelier@bijoux.example")
    page.get_by_role("button", name="Publier l'offre").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "est publiée"
    )
    assert Offer.objects.get(title="Apprentie polisseuse (H/F)").is_open
    page.get_by_role(
        "button",
        name="Prolonger de deux mois « Apprenti coupeur / apprentie coupeuse cuir (H/F) »",
    ).click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        "est prolongée"
    )
    assert_accessible(page)


def test_team_withdraws_an_offer(local_page, demo):
    page = local_page
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/gestion/offres/")
    assert_accessible(page)
    save_screenshot(page, "offers-team-list-desktop")
    # The offer's page loaded before its form is sent: a submit clicked while the
    # page is still loading was lost in CI (no error shown, nothing sent).
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Stage de découverte en polissage de fermoirs (H/F)"
        ).click()
    page.get_by_role("button", name="Retirer l'offre").click()
    expect(page.get_by_text("Indiquez le motif du retrait").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Motif du retrait").fill("Stage hors de la filière.")
    page.get_by_role("button", name="Retirer l'offre").click()
    expect(page.get_by_text("est retirée").first).to_be_visible()
    assert Offer.objects.get(
        title="Stage de découverte en polissage de fermoirs (H/F)"
    ).is_withdrawn
