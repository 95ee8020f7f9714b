import re

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD
from campus.network.tests.factories import MembershipFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offerings():
    cap = OfferingFactory(certification__title="CAP Maroquinerie")
    OfferingFactory(
        certification=cap.certification,
        organisation=cap.organisation,
        apprenticeship=True,
    )
    OfferingFactory(certification__bac_pro=True)
    OfferingFactory(
        certification__title="CAP Sellier-harnacheur",
        certification__rome_codes="",
        continuing=True,
    )
    OfferingFactory(certification__dn_made=True, in_montbeliard=True)
    return cap


@pytest.mark.parametrize("width", [1280, 390])
def test_catalogue_search_filter_open_and_come_back(
    local_page, live_server, offerings, width
):
    """A visitor searches, filters, opens a result and finds the search again on return."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/formations/")
    count = page.locator("#results-count")
    expect(count).to_have_text("5 formations trouvées")
    assert_accessible(page)
    save_screenshot(page, f"trainings-catalogue-{width}")

    page.get_by_label("Rechercher").fill("maroquin")
    expect(count).to_have_text("3 formations trouvées")
    page.get_by_label("Voie").select_option("apprenticeship")
    expect(count).to_have_text("1 formation trouvée")
    assert "q=maroquin" in page.url and "voie=apprenticeship" in page.url
    save_screenshot(page, f"trainings-catalogue-filtered-{width}")

    page.locator("#results").get_by_role("link", name="CAP Maroquinerie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CAP Maroquinerie")
    expect(page.get_by_text("Samedi 7 mars, de 9 h à 12 h")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"trainings-offering-{width}")

    page.go_back()
    expect(page.get_by_label("Rechercher")).to_have_value("maroquin")
    expect(page.get_by_label("Voie")).to_have_value("apprenticeship")
    expect(count).to_have_text("1 formation trouvée")


def test_catalogue_shows_filter_errors_in_place(local_page, live_server, offerings):
    """A bad distance shows the French message in the page, still accessible."""
    page = local_page
    page.goto(live_server.url + "/formations/?commune=21425&rayon=9999")
    expect(page.get_by_role("alert")).to_contain_text("limitée à 200 km")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_map_shows_markers_outline_and_a_keyboard_list(
    local_page, live_server, offerings, width
):
    """The map draws the offline outline and markers; the list sorts by keyboard."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/carte/")
    expect(page.locator(".leaflet-overlay-pane path").first).to_be_attached()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.locator(".map-label").first).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.leaflet-marker-icon')]"
        ".some(img => img.complete && img.naturalWidth > 0)"
    )
    assert_accessible(page)
    save_screenshot(page, f"trainings-map-{width}")

    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(5)
    page.get_by_role("link", name="Commune").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**tri=commune**")
    expect(table.locator("tbody tr").first).to_contain_text("Montbard")
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Commune")
    page.get_by_role("link", name="Commune").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**tri=-commune**")
    expect(table.locator("tbody tr").first).to_contain_text("Montbéliard")

    page.get_by_label("Département").select_option("25")
    expect(page.locator("#results-count")).to_have_text("1 formation trouvée")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    save_screenshot(page, f"trainings-map-filtered-{width}")


def test_map_markers_open_a_popup_with_links(local_page, live_server, offerings):
    """A marker opens a popup naming the school and linking its trainings."""
    page = local_page
    page.goto(live_server.url + "/carte/?departement=25")
    page.locator(".leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="DN MADe mention Matériaux")).to_be_visible()


def test_embed_page_is_accessible(local_page, live_server, offerings):
    """The embeddable map has a title, markers, a link to the list and no axe violation."""
    page = local_page
    page.set_viewport_size({"width": 800, "height": 500})
    page.goto(live_server.url + "/carte/embed/?voie=school")
    expect(page).to_have_title(re.compile(r"^Carte des formations — "))
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "trainings-map-embed")


def test_partner_edits_an_offering(local_page, live_server, offerings):
    """An editor opens their offerings from the partner space and saves a change."""
    editor = MembershipFactory(organisation=offerings.organisation).user
    CertificationFactory(title="CAP Sellerie générale")
    page = local_page
    log_in(page, live_server, editor.email, TEST_PASSWORD)
    page.goto(live_server.url + "/espace/")
    page.get_by_role("link", name="Formations de mes organisations").click()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier CAP Maroquinerie").first.click()
    page.get_by_label("Durée").fill("3 ans")
    assert_accessible(page)
    save_screenshot(page, "trainings-offering-form")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("La formation est enregistrée")
    page.get_by_role("link", name="Ajouter une formation").click()
    page.get_by_label("Certification").select_option(label="CAP Sellerie générale")
    page.get_by_label("Voie").select_option("continuing")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("CAP Sellerie générale")
