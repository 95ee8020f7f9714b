"""Real headless Chromium for the pages people use, with axe-core checks.

Debian's Chromium is driven by Playwright; nothing is downloaded. Requests to
any host but the test server are answered locally, so no test leaves the machine.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("CAMPUS_SCREENSHOTS", "test-results/screenshots"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def demo(live_server, demo_campus):
    """The live server with the demo campus loaded (`manage.py load_demo`)."""
    return live_server


# Chromium logs what the Content-Security-Policy blocks; the event adds the cases it
# reports only to the page (in every frame, embedded maps included).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "Content Security Policy violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline code") + " at " + event.sourceFile + ":"
    + event.lineNumber
  );
});
"""


@pytest.fixture
def local_page(page, live_server):
    """A page that reaches only the live test server, and fails its test on any
    Content-Security-Policy violation (see csp_violations)."""

    def route(request_route):
        if request_route.request.url.startswith(live_server.url):
            return request_route.continue_()
        return request_route.fulfill(status=204, body="")

    page.route("**/*", route)
    # Actions and assertions wait alike: Playwright's 5 s for `expect` was short on
    # a CI machine running the suite's two workers, their servers and Chromium
    # (a news moderation test once failed there and passed alone every time).
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    watch_csp_violations(page)
    yield page
    violations = csp_violations(page)
    assert violations == [], violations


def watch_csp_violations(page):
    page.csp_violations = []
    page.add_init_script(CSP_LISTENER)

    def record(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            page.csp_violations.append(message.text)

    page.on("console", record)


def csp_violations(page) -> list[str]:
    """What the page's Content-Security-Policy blocked since the page opened."""
    return list(page.csp_violations)


def assert_accessible(page, *, context=None):
    """Runs axe-core on the current page and fails on any violation."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    results = Axe().run(page, context=context, options=options)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def assert_filter_error_after_swap(page, url: str, *, select: str, message: str):
    """An unknown option chosen in a list's filters, as a tampered form would send
    it, is swapped in by htmx with its French message, and the page stays accessible.
    """
    page.goto(url)
    field = page.get_by_label(select, exact=True)
    field.evaluate("select => select.add(new Option('pirate', 'pirate'))")
    field.select_option("pirate")
    expect(page.get_by_role("alert")).to_contain_text(message)
    expect(page.locator("#results-count")).to_have_text("Filtres à corriger.")
    assert_accessible(page)


def open_filters(page) -> None:
    """Unfolds a list's « Filtres (n) » on a small screen; wider, they are open."""
    toggle = page.locator("summary.filters__toggle")
    if toggle.is_visible() and not page.locator("details.filters__more").evaluate(
        "details => details.open"
    ):
        toggle.click()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, live_server, email, password):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
