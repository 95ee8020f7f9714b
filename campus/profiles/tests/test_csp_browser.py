"""The Content-Security-Policy blocks nothing the site itself needs, in real Chromium.

`local_page` fails a test on any violation it reports; these tests walk the pages
with scripts, styles, maps and frames, and check that htmx and the map still work.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from campus.demo import DEMO_PASSWORD
from campus.testing.browser import csp_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url):
    response = page.goto(url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == [], (url, csp_violations(page))
    return response


def test_public_pages_and_htmx_filters_run_under_the_policy(local_page, demo):
    """Home, directory and catalogue load, and their htmx filters swap, with no violation."""
    page = local_page
    visit(page, demo.url + "/")
    visit(page, demo.url + "/annuaire/")
    count = page.locator("#results-count")
    before = count.inner_text()
    page.get_by_label("Rechercher").fill("ganterie")
    expect(count).not_to_have_text(before)
    assert "q=ganterie" in page.url
    visit(page, demo.url + "/formations/")
    before = page.locator("#results-count").inner_text()
    page.get_by_label("Voie").select_option("apprentissage")
    expect(page.locator("#results-count")).not_to_have_text(before)
    assert "voie=apprentissage" in page.url
    for path in [
        "/metiers/",
        "/decouvrir/",
        "/decouvrir/demander-une-intervention/",
        "/annuaire/proposer/",
        "/mot-de-passe/oubli/",
        "/page-inconnue/",
    ]:
        visit(page, demo.url + path)
    assert csp_violations(page) == []


def test_map_and_its_embed_draw_markers_under_the_policy(local_page, demo):
    """The map and the embeddable map load their markers; only the embed may be framed."""
    page = local_page
    response = visit(page, demo.url + "/carte/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.locator(".leaflet-marker-icon, .marker-cluster").first).to_be_visible()
    page.get_by_label("Voie").select_option("apprentissage")
    expect(page.locator("#results-count")).to_contain_text("trouvée")
    response = visit(page, demo.url + "/carte/embed/")
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    expect(page.locator(".leaflet-marker-icon, .marker-cluster").first).to_be_visible()
    assert csp_violations(page) == []


@pytest.fixture
def partner_site(live_server):
    """Another site, on its own address, whose page /cadre/<path> frames <path> of Campus.

    Chromium refuses frames from loopback to pages it cannot place on the network,
    so the partner is a real local server rather than a routed page.
    """

    class PartnerPage(BaseHTTPRequestHandler):
        def do_GET(self):
            framed = live_server.url + self.path.removeprefix("/cadre")
            body = (
                '<!doctype html><html lang="fr"><title>Partenaire</title>'
                f'<iframe src="{framed}" title="Carte" width="800" height="480">'
                "</iframe></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_embed_works_inside_a_partner_page(local_page, demo, partner_site):
    """A partner's site shows the embedded map with its markers, with no violation."""
    page = local_page
    page.route(partner_site + "/**", lambda route: route.continue_())
    page.goto(partner_site + "/cadre/carte/embed/")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".leaflet-marker-icon, .marker-cluster").first).to_be_visible()
    assert csp_violations(page) == []


def test_other_pages_cannot_be_framed(page, demo, partner_site):
    """A page other than the embed refuses to show inside another site's frame."""
    refusals = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "frame-ancestors" in message.text else None
        ),
    )
    page.goto(partner_site + "/cadre/carte/")
    expect(page.locator("iframe")).to_be_attached()
    page.wait_for_timeout(500)
    # Chromium shows its own error page in the frame instead of the site.
    assert page.frame_locator("iframe").locator(".site-header").count() == 0
    assert refusals


def test_partner_forms_and_back_office_run_under_the_policy(local_page, demo):
    """A partner's forms and the team's back-office, admin included, have no violation."""
    page = local_page
    log_in(page, demo, "editeur.lycee@campus.example", DEMO_PASSWORD)
    visit(page, demo.url + "/espace/")
    page.get_by_role("link", name="Contacts et sites").first.click()
    page.wait_for_load_state("networkidle")
    visit(page, demo.url + "/espace/formations/nouvelle/")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert csp_violations(page) == []
    page.context.clear_cookies()
    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    for path in [
        "/gestion/",
        "/gestion/profil/",
        "/gestion/interventions/",
        "/gestion/admin/",
        "/gestion/admin/network/organisation/",
        "/gestion/admin/network/organisation/add/",
    ]:
        visit(page, demo.url + path)
    assert csp_violations(page) == []
