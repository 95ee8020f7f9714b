"""The needs pages in Chromium: a partner declares a need, the team reads the gaps."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.demo import DEMO_PASSWORD
from campus.needs.models import Need
from campus.testing.browser import (
    assert_accessible,
    assert_filter_error_after_swap,
    log_in,
    open_filters,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_partner_declares_a_recruitment_after_fixing_errors(local_page, demo, viewport):
    """An editor fixes a past horizon and a zero headcount, then declares the need."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, demo, "editeur.entreprise@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/espace/")
    page.get_by_role("link", name="Besoins", exact=True).click()
    expect(
        page.get_by_role("heading", name="Besoins de recrutement et de formation")
    ).to_be_visible()
    expect(page.get_by_text("Démo").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"needs-partner-list-{viewport}")
    page.get_by_role("link", name="Déclarer un recrutement").click()
    page.get_by_label("Organisation").select_option(
        label="Bijoux de sac du Doubs (démo)"
    )
    page.get_by_label("Métier (code ROME)").select_option("B1802")
    page.get_by_label("Intitulé du poste").fill("Piqueuse sellier")
    page.get_by_label("Niveau de qualification").select_option("3")
    page.get_by_label("Nombre de personnes").fill("0")
    page.get_by_label("CDI").check()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("À pourvoir avant le").fill(yesterday.isoformat())
    page.get_by_label("Lieu de travail").fill("Besançon")
    page.get_by_role("button", name="Déclarer le besoin").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Indiquez au moins une personne.")
    expect(alert).to_contain_text("Cette date est passée")
    assert_accessible(page)
    save_screenshot(page, f"needs-form-errors-{viewport}")
    page.get_by_label("Nombre de personnes").fill("2")
    later = timezone.localdate() + timedelta(days=90)
    page.get_by_label("À pourvoir avant le").fill(later.isoformat())
    page.get_by_role("button", name="Déclarer le besoin").click()
    expect(page.get_by_text("Le besoin est déclaré")).to_be_visible()
    expect(page.get_by_role("heading", name="Piqueuse sellier")).to_be_visible()
    need = Need.objects.get(appellation="Piqueuse sellier")
    assert (need.headcount, need.departement_code) == (2, "25")
    page.get_by_role("link", name="Déclarer un besoin de compétences").click()
    expect(
        page.get_by_role("group", name="Blocs de compétences RNCP visés")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"needs-skills-form-{viewport}")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_team_reads_and_filters_the_gap_view(local_page, demo, viewport):
    """The team filters the gap table by kind of gap; the swap keeps axe clean."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/gestion/")
    page.get_by_role("link", name="Tableau des écarts").click()
    expect(
        page.get_by_role(
            "heading", name="Besoins des entreprises et offre de formation"
        )
    ).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Atelier Cuir de l'Auxois (démo)")
    assert_accessible(page)
    save_screenshot(page, f"needs-gap-view-{viewport}")
    open_filters(page)
    page.get_by_label("Écart", exact=True).select_option(
        label="Besoins sans offre dans le département"
    )
    expect(page).to_have_url(f"{demo.url}/gestion/besoins/?ecart=besoins-sans-offre")
    expect(table).not_to_contain_text("Offres sans besoin déclaré")
    expect(table).to_contain_text("Sertisseur")
    assert_accessible(page)
    save_screenshot(page, f"needs-gap-view-filtered-{viewport}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le tableau (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    if viewport == "desktop":  # The helper picks the select without unfolding.
        assert_filter_error_after_swap(
            page,
            demo.url + "/gestion/besoins/",
            select="Voie",
            message="Voie inconnue",
        )
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(demo.url + "/gestion/besoins/")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_team_reads_the_gap_map_by_keyboard(local_page, demo, viewport):
    """The gap map draws a circle per département and kind of gap; a circle opens
    its popup from the keyboard, and the map follows the filters."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/gestion/besoins/")
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    circles = page.locator(".gap-marker")
    expect(circles.first).to_be_visible()
    expect(
        page.locator(".gap-marker.gap-dot--besoins-sans-offre").first
    ).to_be_visible()
    expect(page.get_by_role("list", name="Légende de la carte")).to_contain_text(
        "Offres sans besoin déclaré"
    )
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')"
    )
    assert_accessible(page)
    save_screenshot(page, f"needs-gap-map-{viewport}")

    circle = page.locator(".gap-marker.gap-dot--besoins-sans-offre").first
    circle.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Besoins sans offre dans le département")
    expect(popup).to_contain_text("personne")
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim')")
    assert_accessible(page)
    save_screenshot(page, f"needs-gap-map-popup-{viewport}")

    page.get_by_role("link", name="Voir le tableau").click()
    expect(page).to_have_url(f"{demo.url}/gestion/besoins/#results")

    open_filters(page)
    page.get_by_label("Écart", exact=True).select_option(
        label="Offres sans besoin déclaré"
    )
    expect(page).to_have_url(f"{demo.url}/gestion/besoins/?ecart=offres-sans-besoin")
    expect(page.locator(".gap-marker.gap-dot--besoins-sans-offre")).to_have_count(0)
    expect(
        page.locator(".gap-marker.gap-dot--offres-sans-besoin").first
    ).to_be_visible()
    save_screenshot(page, f"needs-gap-map-filtered-{viewport}")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page)
