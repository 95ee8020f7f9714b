"""The demo campus as a test's starting point, loaded once per test process.

`load_demo` takes seconds of CPU and some sixty tests start from the demo, most of
them in a browser. On SQLite the first load of a test process is kept (see
DemoSnapshot) and copied back for the next tests; other databases load it each time.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from campus import page_cache


@pytest.fixture
def demo_campus(transactional_db, settings, _demo_snapshot):
    """The database holds the demo campus (`manage.py load_demo`) and its media files.

    The test is a transactional one: the copy cannot be made inside a test's
    transaction (and the live server of a browser test needs one anyway).
    """
    if connection.vendor == "sqlite":
        _demo_snapshot.restore_or_load(Path(settings.MEDIA_ROOT))
    else:
        call_command("load_demo", verbosity=0)


class DemoSnapshot:
    """The demo campus as `load_demo` left an empty test database, to copy back.

    The copy is the whole SQLite database, by SQLite's backup API (milliseconds,
    where loading takes seconds), with the media files the demo wrote. It is taken
    from the test database right after the first load of the process, before any
    test changed it; each copy starts from that same state, as a fresh load would.
    The content stamps of the page cache are changed afterwards, so nothing kept
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
