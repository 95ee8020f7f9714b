import copy
import re

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD
from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import MembershipFactory
from campus.places.tests.factories import RegionFactory
from campus.profiles.models import CampusProfile, SectorProfile
from campus.settings import image_sources
from campus.testing.browser import (
    assert_accessible,
    assert_filter_error_after_swap,
    log_in,
    open_filters,
    save_screenshot,
)
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offerings():
    CampusProfile.objects.create(region=RegionFactory())
    cap = OfferingFactory(certification__title="CAP Maroquinerie")
    apprenticeship = OfferingFactory(
        certification=cap.certification,
        organisation=cap.organisation,
        apprenticeship=True,
    )
    EventFactory(
        open_day=True, organisation=cap.organisation, title="Portes ouvertes du lycée"
    ).offerings.set([cap, apprenticeship])
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
    open_filters(page)
    page.get_by_label("Voie").select_option("apprentissage")
    expect(count).to_have_text("1 formation trouvée")
    assert page.url.endswith("/formations/?q=maroquin&voie=apprentissage")
    save_screenshot(page, f"trainings-catalogue-filtered-{width}")

    page.locator("#results").get_by_role("link", name="CAP Maroquinerie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CAP Maroquinerie")
    expect(
        page.get_by_role("link", name="Portes ouvertes du lycée", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"trainings-offering-{width}")

    page.go_back()
    expect(page.get_by_label("Rechercher")).to_have_value("maroquin")
    expect(page.get_by_label("Voie")).to_have_value("apprentissage")
    expect(count).to_have_text("1 formation trouvée")


def test_typing_replaces_the_address_and_back_returns_to_the_last_search(
    local_page, live_server, offerings
):
    """Typing rewrites the address, a submitted search adds an entry, and Back finds the previous search."""
    SectorProfile(name="Maroquinerie", synonyms="sac → maroquinerie").save()
    page = local_page
    page.goto(live_server.url + "/formations/")
    search = page.get_by_label("Rechercher")
    count = page.locator("#results-count")
    search.fill("sac")
    search.press("Enter")
    page.wait_for_url("**/formations/?q=sac")
    expect(count).to_have_text("3 formations trouvées")

    search.fill("sellie")
    page.wait_for_url("**/formations/?q=sellie")
    expect(count).to_have_text("1 formation trouvée")
    search.fill("bac")
    search.press("Enter")
    page.wait_for_url("**/formations/?q=bac")
    expect(count).to_have_text("1 formation trouvée")

    page.go_back()
    page.wait_for_url("**/formations/?q=sac")
    expect(search).to_have_value("sac")
    expect(count).to_have_text("3 formations trouvées")
    page.go_back()
    page.wait_for_url("**/formations/")
    expect(count).to_have_text("5 formations trouvées")
    page.go_forward()
    page.wait_for_url("**/formations/?q=sac")
    page.go_forward()
    page.wait_for_url("**/formations/?q=bac")


def test_enter_within_the_typing_delay_keeps_the_history_entry(
    local_page, live_server, offerings
):
    """A search submitted while its typing request is still waiting adds its entry even when the server is slow."""
    page = local_page
    page.goto(live_server.url + "/formations/")
    count = page.locator("#results-count")
    search = page.get_by_label("Rechercher")

    def slow(route):
        page.wait_for_timeout(900)
        route.continue_()

    # The submitted search answers after the 400 ms typing delay has run out.
    page.route(re.compile(r".*/formations/\?q=bac$"), slow)
    search.fill("bac")
    search.press("Enter")
    page.wait_for_url("**/formations/?q=bac")
    expect(count).to_have_text("1 formation trouvée")
    page.unroute("**/*")

    page.go_back()
    page.wait_for_url("**/formations/")
    expect(count).to_have_text("5 formations trouvées")


def test_catalogue_shows_filter_errors_in_place(local_page, live_server, offerings):
    """A bad distance shows the French message in the page, still accessible."""
    page = local_page
    page.goto(live_server.url + "/formations/?commune=21425&rayon=9999")
    expect(page.get_by_role("alert")).to_contain_text("limitée à 200 km")
    assert_accessible(page)


def test_catalogue_shows_a_filter_error_after_an_htmx_swap(
    local_page, live_server, offerings
):
    """An unknown route sent through the htmx form shows its French message, accessibly."""
    assert_filter_error_after_swap(
        local_page,
        live_server.url + "/formations/",
        select="Voie",
        message="Voie inconnue : scolaire, apprentissage ou formation continue.",
    )


@pytest.mark.parametrize("width", [1366, 390])
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

    open_filters(page)
    page.get_by_label("Département").select_option("25")
    expect(page.locator("#results-count")).to_have_text("1 formation trouvée")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    save_screenshot(page, f"trainings-map-filtered-{width}")


def test_map_fetches_leaflet_and_its_outline_after_the_first_paint(
    local_page, live_server, offerings
):
    """Leaflet, its styles and the outline are requested once the text has painted,
    so drawing the map never holds back the page."""
    page = local_page
    page.goto(live_server.url + "/carte/")
    expect(page.locator(".map-label").first).to_be_visible()
    timings = page.evaluate(
        r"""() => {
          const paint = performance.getEntriesByName("first-contentful-paint")[0];
          const fetched = (pattern) => performance.getEntriesByType("resource")
            .filter((entry) => pattern.test(new URL(entry.name).pathname))
            .map((entry) => entry.startTime);
          return {
            paint: paint.startTime,
            libraries: fetched(/^\/static\/vendor\/leaflet.*\.(js|css)$/),
            outline: fetched(/^\/carte\/fond\//),
          };
        }"""
    )
    assert len(timings["libraries"]) == 5 and len(timings["outline"]) == 1
    assert min(timings["libraries"] + timings["outline"]) > timings["paint"]


@pytest.mark.parametrize("width", [1366, 390])
def test_map_names_departements_with_labels_centred_by_css(
    local_page, live_server, offerings, width
):
    """Each département's name sits on it, in a pane of labels above the markers:
    neither a tooltip, which measured itself (the page laid out once per name), nor
    a marker, which a keyboard would stop on."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/carte/")
    expect(page.locator(".map-labels .map-label").first).to_be_visible()
    expect(page.locator(".leaflet-tooltip")).to_have_count(0)
    expect(page.locator(".leaflet-marker-icon .map-label")).to_have_count(0)
    map_box = page.locator(".map").bounding_box()
    for label in page.locator(".map-label").all():
        box = label.bounding_box()
        centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        assert map_box["x"] < centre_x < map_box["x"] + map_box["width"]
        assert map_box["y"] < centre_y < map_box["y"] + map_box["height"]
    # Zooming in moves the names with their départements.
    # The zoom animation starts a frame after the click, so waiting for it to end
    # could return before it began: wait for the name itself to move.
    before = page.locator(".map-label").first.bounding_box()
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(
        """([x, y]) => {
          const box = document.querySelector('.map-label').getBoundingClientRect();
          return !document.querySelector('.leaflet-zoom-anim')
            && (Math.abs(box.x - x) > 1 || Math.abs(box.y - y) > 1);
        }""",
        arg=[before["x"], before["y"]],
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_map_adds_a_hundred_places_in_tasks_and_clusters_them_all(
    local_page, live_server, width
):
    """Places are added a few milliseconds' worth at a time: all 100 still reach
    the map, in clusters whose counts add up, and the fallback text is gone."""
    CampusProfile.objects.create(region=RegionFactory())
    OfferingFactory.create_batch(100)
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    # A page of a hundred offerings takes a while on a busy test machine.
    page.goto(live_server.url + "/carte/", timeout=30_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.marker-cluster')]
          .reduce((sum, cluster) => sum + Number(cluster.textContent), 0) === 100""",
        timeout=30_000,
    )
    expect(page.get_by_text("La carte demande JavaScript")).to_have_count(0)
    expect(page.locator("#results-count")).to_have_text("100 formations trouvées")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1366, 390])
def test_map_markers_open_a_popup_with_links(local_page, live_server, offerings, width):
    """A marker opens a popup in the site's colours, naming the school and its trainings."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/carte/?departement=25")
    # The map zooms onto the markers once its data arrives, and the clusters redraw
    # them when it stops: a click during the zoom may land on a marker being replaced.
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')"
    )
    page.locator(".leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="DN MADe mention Matériaux")).to_be_visible()
    expect(page.locator(".leaflet-popup-content-wrapper")).to_have_css(
        "border-top-color", "rgb(106, 52, 16)"
    )
    # Leaflet fades popups in: axe would measure the contrast halfway.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim')")
    assert_accessible(page)
    save_screenshot(page, f"trainings-map-popup-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_map_draws_the_commune_and_radius_and_links_the_same_search(
    local_page, live_server, offerings, width
):
    """Near a commune, the map circles the radius and the catalogue link keeps the filters."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/carte/?commune=21425&rayon=30&voie=scolaire")
    expect(page.locator("path.leaflet-interactive")).to_have_count(1)
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(11)
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"trainings-map-radius-{width}")

    open_filters(page)
    page.get_by_label("Distance maximale (km)").fill("150")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**rayon=150**")
    expect(page.locator("path.leaflet-interactive")).to_have_count(1)
    page.get_by_role("link", name="Voir ces formations dans le catalogue").click()
    page.wait_for_url("**/formations/?**")
    assert "Montbard" in page.url and "rayon=150" in page.url
    assert "voie=scolaire" in page.url
    expect(page.get_by_label("Voie")).to_have_value("scolaire")


def test_map_loads_no_tiles_unless_a_server_is_set(
    local_page, live_server, offerings, settings
):
    """By default no tile is requested; with CAMPUS_MAP_TILES_URL, tiles and attribution appear."""
    page = local_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/carte/")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert not [url for url in requested if "tuiles" in url]
    expect(page.locator(".leaflet-tile")).to_have_count(0)

    settings.CAMPUS_MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    settings.CAMPUS_MAP_TILES_ATTRIBUTION = "© contributeurs d'OpenStreetMap"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"] = image_sources(settings.CAMPUS_MAP_TILES_URL)
    settings.CONTENT_SECURITY_POLICY = policy
    page.goto(live_server.url + "/carte/")
    expect(page.locator(".leaflet-tile").first).to_be_attached()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(
        "© contributeurs d'OpenStreetMap"
    )
    assert [url for url in requested if url.startswith("https://tuiles.example.org/")]


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


def test_map_list_and_filters_work_without_javascript(browser, live_server, offerings):
    """With JavaScript off, the map page still lists, filters and sorts the trainings."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else route.fulfill(status=204, body="")
        ),
    )
    page.goto(live_server.url + "/carte/")
    expect(page.get_by_text("La carte demande JavaScript")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(5)
    page.get_by_label("Voie").select_option("continue")
    page.get_by_role("button", name="Filtrer").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("CAP Sellier-harnacheur")
    assert "voie=continue" in page.url
    page.get_by_label("Voie").select_option("")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Niveau").click()
    expect(table.locator("tbody tr").last).to_contain_text("DN MADe")
    # axe-core runs in the page, so it is checked on the same page with JavaScript on.
    context.close()
