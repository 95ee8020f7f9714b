"""Real app servers in subprocesses, for the tests of what several servers share.

`app_database` copies the test database (migrated once per test session, in
memory) into an SQLite file that subprocesses can open, in milliseconds where
`migrate` takes seconds. `AppServers` starts gunicorn on free ports of 127.0.0.1
over that file, each with one worker, as a deployment runs one process per app
server behind a load balancer, waits until each listens and stops them all. Each
server picks its port itself (port 0, read back from its log): no other process
can take it between a choice and the bind.
"""

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

HOST = "127.0.0.1"
# A cold start imports Django and the whole project: seconds on a busy machine.
START_TIMEOUT = 60
LISTENING = re.compile(rb"Listening at: (http://[\d.]+:\d+)")


def app_database(path: Path) -> Path:
    """Copies the test database to `path`, with what was committed to it.

    SQLite's backup waits for the source to be free of write transactions:
    it cannot run inside a test's transaction.
    """
    if connection.vendor != "sqlite":
        raise NotImplementedError("app_database copies the SQLite test database.")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory, django_db_setup, django_db_blocker):
    """An SQLite file with every migration applied, made once per test process, for
    the probes of SQLite's own behaviour that run in subprocesses (copy it: it is
    shared): a copy of the test database, which the session has just migrated, where
    `migrate` from nothing takes some 20 s of CPU.

    Those probes open their SQLite file whatever the suite's database: the SQLite run
    covers them, the PostgreSQL run skips them rather than run them a second time.
    """
    if connection.vendor != "sqlite":
        pytest.skip("a probe of SQLite: the SQLite run covers it")
    path = tmp_path_factory.mktemp("migrated") / "campus.sqlite3"
    with django_db_blocker.unblock():
        return app_database(path)


class AppServers:
    """Several gunicorn app servers over one database, with an environment of
    their own; `urls` lists their base addresses."""

    def __init__(self, count: int, *, env: dict[str, str | None], log_dir: Path):
        """`env` adds to this process's environment; None removes a variable."""
        self.env = {
            **os.environ,
            "CAMPUS_TESTING": "1",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        for name, value in env.items():
            if value is None:
                self.env.pop(name, None)
            else:
                self.env[name] = value
        self.count = count
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []

    def __enter__(self):
        try:
            for number in range(self.count):
                self._start(number)
            self.urls = [self._wait_for_address(number) for number in range(self.count)]
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _log(self, number: int) -> Path:
        return self.log_dir / f"server-{number}.log"

    def _start(self, number: int) -> None:
        command = [sys.executable, "-m", "gunicorn", "campus.wsgi"]
        command += ["--bind", f"{HOST}:0", "--workers", "1"]
        with self._log(number).open("wb") as log:
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    def _wait_for_address(self, number: int) -> str:
        """The server's base address, once it listens (a request made before its
        worker has loaded the project waits for it)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if match := LISTENING.search(self._log(number).read_bytes()):
                return match.group(1).decode()
            if self.processes[number].poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"App server {number} did not start:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")
            for path in sorted(self.log_dir.glob("server-*.log"))
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
