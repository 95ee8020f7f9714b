"""The front door in Chromium: the home page, the identity, the menu and the
filters on a phone, no sideways scrolling at 320 px, and the printed page."""

import pytest
from playwright.sync_api import expect

from campus.network.models import Organisation
from campus.testing.browser import assert_accessible, save_screenshot
from campus.trades.models import Trade
from campus.trainings.models import Offering

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("campus.profiles.tests.demo_urls"),
]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_leads_to_trainings_and_is_accessible(
    local_page, live_server, demo, viewport
):
    """The home page searches the catalogue, shows the campus's images, and has no axe violation."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + "/")
    expect(page.get_by_role("img", name="CMQ", exact=True)).to_be_visible()
    hero = page.locator(".hero__image")
    expect(hero).to_be_visible()
    assert hero.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(
        page.get_by_role("heading", name="Des métiers qui se voient")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="La filière en chiffres")).to_be_visible()
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.startswith('"Source Sans 3 Variable"')
    assert page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check('16px \"Source Sans 3 Variable\"'))"
    )
    assert_accessible(page)
    save_screenshot(page, f"home-{viewport}")
    page.get_by_label("Quoi ?").fill("maroquinerie")
    page.get_by_label("Où ?").fill("Dijon")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url("**/formations/?q=maroquinerie&commune=Dijon")
    expect(page.locator("#results-count")).to_contain_text("trouvée")


def test_menu_folds_behind_a_button_on_phones(local_page, live_server):
    """Below the breakpoint the menu button shows and hides the main menu, and says so."""
    page = local_page
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "menu-principal")
    expect(menu).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Formations")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "menu-open-mobile")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    page.set_viewport_size(VIEWPORTS["desktop"])
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Formations")).to_be_visible()


def test_menu_stays_open_without_javascript(browser, live_server):
    """Without JavaScript a phone shows the menu's links and no useless button."""
    context = browser.new_context(
        java_script_enabled=False, viewport=VIEWPORTS["mobile"]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_have_count(0)
    expect(
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Formations"
        )
    ).to_be_visible()
    expect(page.get_by_label("Type d'acteur")).to_have_count(0)
    page.goto(live_server.url + "/annuaire/")
    expect(page.get_by_label("Type d'acteur")).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    "path", ["/formations/?voie=scolaire&niveau=3", "/carte/?voie=scolaire&niveau=3"]
)
def test_filters_fold_on_phones_with_the_results_first(
    local_page, live_server, demo, path
):
    """On a phone the filters fold behind « Filtres (n) » and the first result shows in the first screen."""
    page = local_page
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto(live_server.url + path)
    toggle = page.get_by_text("Filtres (2)")
    expect(toggle).to_be_visible()
    expect(page.get_by_label("Voie")).to_be_hidden()
    expect(page.get_by_label("Rechercher")).to_be_visible()
    count = page.locator("#results-count")
    if path.startswith("/formations/"):
        # Before the fold: 1,400 px down before the filters folded away.
        first = page.locator(".result").first
        assert count.bounding_box()["y"] < first.bounding_box()["y"] < 700
    assert_accessible(page)
    save_screenshot(page, f"filters-folded-{path.split('/')[1]}-mobile")
    toggle.click()
    expect(page.get_by_label("Voie")).to_be_visible()
    page.get_by_label("Département").select_option("21")
    toggle = page.locator("summary.filters__toggle")
    expect(toggle).to_have_text("Filtres (3)")
    page.set_viewport_size(VIEWPORTS["desktop"])
    expect(toggle).to_be_hidden()
    expect(page.get_by_label("Voie")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"filters-open-{path.split('/')[1]}-desktop")


def test_no_public_page_scrolls_sideways_at_320_px(local_page, live_server, demo):
    """At 320 px wide, no public page is wider than the screen."""
    page = local_page
    page.set_viewport_size({"width": 320, "height": 640})
    offering = Offering.objects.published().order_by("pk").first()
    organisation = (
        Organisation.objects.published().filter(pk=offering.organisation_id).get()
    )
    trade = Trade.objects.published().filter(slug="maroquinier").get()
    paths = [
        "/",
        "/formations/",
        "/formations/?q=maroquinerie&voie=scolaire&commune=Dijon&rayon=80",
        "/carte/",
        "/annuaire/",
        "/metiers/",
        trade.get_absolute_url(),
        offering.get_absolute_url(),
        organisation.get_absolute_url(),
        "/decouvrir/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    page.goto(live_server.url + "/")
    save_screenshot(page, "home-320")
    page.goto(live_server.url + organisation.get_absolute_url())
    save_screenshot(page, "organisation-320")
    assert too_wide == {}


def test_printed_page_keeps_the_content_and_shows_link_addresses(
    local_page, live_server, demo
):
    """Printed, a page drops the menu, filters and buttons and writes each link's address."""
    page = local_page
    page.goto(live_server.url + "/formations/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.get_by_role("heading", name="Formations", level=1)).to_be_visible()
    link = page.locator(".result a").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert f"<{link.get_attribute('href')}>" in after
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert f"<{live_server.url}{link.get_attribute('href')}>" in after
    page.pdf(path=str(save_screenshot(page, "catalogue-print").with_suffix(".pdf")))
