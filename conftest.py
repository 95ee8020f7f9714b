"""Repository-wide test fixtures: strict suite, real database and task backend, browser."""

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models.query import MAX_GET_RESULTS, QuerySet

# Playwright's sync API runs an event loop in the test thread; Django would refuse
# every database call from it otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from campus.testing.browser import browser_type_launch_args, local_page  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """The test client and live_server speak plain HTTP: no redirect, no secure-only cookies.

    Session-scoped so it runs before live_server builds its middleware, which reads
    SECURE_SSL_REDIRECT once.
    """
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def _unordered_querysets_fail(monkeypatch):
    """A paginated or displayed QuerySet without ordering is a bug: fail on it."""
    original = QuerySet._fetch_all

    def fetch_all(self):
        # QuerySet.get() drops the ordering and fetches MAX_GET_RESULTS rows to
        # detect duplicates: that slice is not a listing.
        is_get = self.query.low_mark == 0 and self.query.high_mark == MAX_GET_RESULTS
        if (
            self._result_cache is None
            and not self.ordered
            and self.query.is_sliced
            and not is_get
        ):
            raise AssertionError(f"Sliced QuerySet without ordering: {self.query}")
        return original(self)

    monkeypatch.setattr(QuerySet, "_fetch_all", fetch_all)


@pytest.fixture
def run_tasks():
    """Runs the queued background tasks with the real database worker."""

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run
