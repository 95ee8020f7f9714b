"""Real headless Chromium for the pages people use, with axe-core checks.

Debian's Chromium is driven by Playwright; nothing is downloaded. Requests to
any host but the test server are answered locally, so no test leaves the machine.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

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
def local_page(page, live_server):
    """A page that reaches only the live test server."""

    def route(request_route):
        if request_route.request.url.startswith(live_server.url):
            return request_route.continue_()
        return request_route.fulfill(status=204, body="")

    page.route("**/*", route)
    page.set_default_timeout(10_000)
    return page


def assert_accessible(page, *, context=None):
    """Runs axe-core on the current page and fails on any violation."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    results = Axe().run(page, context=context, options=options)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


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
