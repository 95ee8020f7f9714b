import pytest
from playwright.sync_api import expect

from campus.testing.browser import assert_accessible, save_screenshot
from campus.trades.tests.factories import TradeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_documentation_page_then_swagger_ui_under_the_sites_csp(
    local_page, live_server
):
    """On a 320 px screen the API page is accessible and never scrolls sideways; its
    link opens the interactive documentation, which draws every operation from the
    site's own files without breaking the Content-Security-Policy."""
    TradeFactory()
    page = local_page
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto(live_server.url + "/api/")
    expect(
        page.get_by_role("heading", name="API des données ouvertes", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    save_screenshot(page, "api-documentation-mobile")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Documentation interactive").click()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() == 20
    save_screenshot(page, "api-swagger")
