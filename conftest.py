"""Repository-wide test fixtures: strict suite, real database and task backend, browser."""

import os

import pytest
from django.core.cache import caches

# Playwright's sync API runs an event loop in the test thread; Django would refuse
# every database call from it otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from campus import fragments
from campus.testing.browser import (  # noqa: F401
    browser_type_launch_args,
    demo,
    local_page,
)
from campus.testing.demo import _demo_snapshot, demo_campus  # noqa: F401
from campus.testing.querysets import fail_on_unordered_slices
from campus.testing.s3 import s3_server, s3_storage  # noqa: F401
from campus.testing.servers import migrated_sqlite_file  # noqa: F401
from campus.testing.smtp import smtp_server  # noqa: F401
from campus.testing.tasks import _empty_task_queue, run_tasks  # noqa: F401


def pytest_collection_modifyitems(items):
    """The tests that run tasks with a real worker are the `tasks` ones (`-m tasks`)."""
    for item in items:
        if "run_tasks" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.tasks)


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(django_db_setup, django_db_blocker):
    """Ends the sessions a test left open before the test database is dropped.

    A connection opened by a thread (a live server's request, a race test) and
    not yet closed would make PostgreSQL refuse to drop the database (« being
    accessed by other users ») and fail the last test of a worker.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = True
    # Rate-limit counts live in a per-process cache: each test starts from zero.
    caches["ratelimit"].clear()
    # django-ratelimit counts in windows fixed to the clock: a test's 31 logins
    # across the edge of a 15-minute window were counted in two (CI saw 302 for
    # 429). A day-long window makes that edge a test's chance in tens of thousands.
    settings.CAMPUS_LOGIN_FAILURE_WINDOW = "1d"
    # Parts of pages are kept under the content stamp, which tests that write
    # nothing share (their rollbacks restore it): each test builds its own.
    fragments.clear()


@pytest.fixture(autouse=True)
def _unordered_querysets_fail(monkeypatch):
    fail_on_unordered_slices(monkeypatch)
