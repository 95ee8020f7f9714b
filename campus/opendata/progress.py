"""Progress of a running import, readable by the web while the import works.

An import holds one database transaction so that it is all-or-nothing; SQLite lets
one writer in at a time, so progress cannot be written to the ImportRun row
meanwhile. It goes to the `imports` cache instead: files under var/ by default,
shared by the web and worker processes, as the uploaded files are.

Each publication carries its time (`at`): the run's heartbeat. A run without one
for CAMPUS_IMPORT_STALE_AFTER seconds was killed with its worker, and is shown
and then marked « Interrompu » (see `ImportRun.seems_interrupted`).
"""

import time
from collections.abc import Callable

from django.core.cache import caches

CACHE_ALIAS = "imports"
# A week: the last heartbeat of a killed import stays readable on its page.
TIMEOUT = 7 * 24 * 3600


def _key(run_id: int) -> str:
    return f"opendata:progress:{run_id}"


def read_progress(run_id: int) -> dict | None:
    return caches[CACHE_ALIAS].get(_key(run_id))


class ProgressTracker:
    """Counts bytes read, and publishes them at most every `interval` seconds."""

    def __init__(
        self,
        run_id: int | None = None,
        callback: Callable[[int, int], None] | None = None,
        *,
        interval: float = 0.5,
    ):
        self.run_id, self.callback, self.interval = run_id, callback, interval
        self.done = self.total = 0
        self._published_at = 0.0

    def set_total(self, total: int) -> None:
        self.total = total
        self._publish(force=True)

    def advance(self, amount: int) -> None:
        self.done += amount
        self._publish()

    def _publish(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._published_at < self.interval:
            return
        self._published_at = now
        if self.run_id is not None:
            caches[CACHE_ALIAS].set(
                _key(self.run_id),
                {"done": self.done, "total": self.total, "at": time.time()},
                TIMEOUT,
            )
        if self.callback is not None:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        self.done = self.total
        if self.callback is not None:
            self.callback(self.done, self.total)

    def clear(self) -> None:
        if self.run_id is not None:
            caches[CACHE_ALIAS].delete(_key(self.run_id))
