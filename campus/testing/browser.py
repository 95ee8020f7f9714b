"""Real headless Chromium for the pages people use, with axe-core checks.

Debian's Chromium is driven by Playwright; nothing is downloaded. Requests to
any host but the test server are answered locally, so no test leaves the machine.
"""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from campus import page_cache

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
def demo(live_server, settings, _demo_snapshot):
    """The live server with the demo campus loaded (`manage.py load_demo`).

    Loading the demo takes seconds of CPU, and about fifty browser tests start from
    it: on SQLite, the first load of a test process is kept (see DemoSnapshot) and
    copied back for the next tests. Other databases load it each time.
    """
    if connection.vendor == "sqlite":
        _demo_snapshot.restore_or_load(Path(settings.MEDIA_ROOT))
    else:
        call_command("load_demo", verbosity=0)
    return live_server


class DemoSnapshot:
    """The demo campus as `load_demo` left an empty test database, to copy back.

    The copy is the whole SQLite database, by SQLite's backup API (milliseconds,
    where loading takes seconds), with the media files the demo wrote. It is taken
    from the test database right after the first load of the process, before any
    test changed it; each copy starts from that same state, as a fresh load would.
    The content stamp of the page cache is changed afterwards, so nothing kept
    before the copy is served.
    """

    def __init__(self, media: Path):
        self.media = media
        self.database = None

    def restore_or_load(self, media_root: Path) -> None:
        connection.ensure_connection()
        if self.database is None:
            call_command("load_demo", verbosity=0)
            self._take(media_root)
            return
        self.database.backup(connection.connection)
        if self.media.exists():
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        page_cache.bump(connection)

    def _take(self, media_root: Path) -> None:
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        if media_root.exists():
            shutil.copytree(media_root, self.media)
        self.database = snapshot


@pytest.fixture(scope="session")
def _demo_snapshot(tmp_path_factory):
    snapshot = DemoSnapshot(tmp_path_factory.mktemp("demo") / "media")
    yield snapshot
    if snapshot.database is not None:
        snapshot.database.close()


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
