"""The agenda and trainings widgets inside a partner's page, in real Chromium."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from campus.agenda.tests.factories import EventFactory
from campus.testing.browser import assert_accessible, save_screenshot
from campus.trainings.tests.factories import OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partner_site():
    """A partner's site, on its own address, serving the page put in `pages[path]`.

    Chromium refuses frames from loopback to pages it cannot place on the network,
    so the partner is a real local server rather than a routed page.
    """
    pages = {}

    class PartnerPage(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages[self.path].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()


def copied_code(page, url: str, panel: str) -> str:
    """The widget code a visitor copies with the panel's button on a list page."""
    page.goto(url)
    page.get_by_text(panel).click()
    page.get_by_role("button", name="Copier le code").click()
    expect(page.get_by_role("status").filter(has_text="Code copié.")).to_be_visible()
    return page.evaluate("navigator.clipboard.readText()")


def test_copied_widgets_show_inside_a_partner_page(
    local_page, live_server, partner_site
):
    """The codes copied from the agenda and the catalogue, pasted into a partner's
    page, show both widgets on a phone, within their width and with no axe violation."""
    for day in range(4):
        EventFactory(title=f"Atelier ouvert au public {day}")
    OfferingFactory(certification__title="CAP Sellerie", start_dates="septembre")
    page = local_page
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    page.set_viewport_size({"width": 390, "height": 900})
    agenda = copied_code(
        page,
        live_server.url + "/agenda/?type=workshop",
        "Intégrer l'agenda sur votre site",
    )
    assert_accessible(page)
    save_screenshot(page, "embeds-agenda-panel")
    trainings = copied_code(
        page,
        live_server.url + "/formations/?voie=scolaire",
        "Intégrer cette liste sur votre site",
    )
    address, pages = partner_site
    # The agenda in a narrow column, as a sidebar would hold it.
    pages["/"] = (
        '<!doctype html><html lang="fr"><title>Partenaire</title><main>'
        f'<div style="width:280px">{agenda}</div>'
        f"{trainings}</main></html>"
    )
    page.route(address + "/**", lambda route: route.continue_())
    page.goto(address + "/")
    agenda_frame = page.frame_locator('iframe[src*="/agenda/embed/"]')
    expect(agenda_frame.get_by_role("listitem")).to_have_count(4)
    link = agenda_frame.get_by_role("link", name="Atelier ouvert au public 0")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_contain_text("(nouvelle fenêtre)")
    trainings_frame = page.frame_locator('iframe[src*="/formations/embed/"]')
    expect(trainings_frame.get_by_role("link", name="CAP Sellerie")).to_be_visible()
    expect(trainings_frame.get_by_text("Rentrée : septembre")).to_be_visible()
    save_screenshot(page, "embeds-partner-page")
    for frame in page.frames[1:]:
        assert frame.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), frame.url
        assert_accessible(frame)
