"""Races between PostgreSQL transactions, each run in a thread with its own connection.

A test module sets `pytestmark = POSTGRESQL_THREADS`, makes the checked step wait
for the other thread with `paused_after`, and runs the racing changes with
`run_together`.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection

POSTGRESQL_THREADS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite serialises writers itself; the race needs PostgreSQL's "
        "concurrent transactions (set DATABASE_URL).",
    ),
]


def paused_after(function, barrier: threading.Barrier):
    """`function`, then a wait (two seconds at most) until the other thread has
    called it too.

    Without a lock both threads pass the barrier together and write; with the
    lock the second waits for the first's commit, so the barrier times out and
    the first goes on alone.
    """

    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        try:
            barrier.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return result

    return wrapper


def run_together(*actions, catching=(Exception,)) -> list[Exception]:
    """Runs each action in its own thread and connection; returns the errors of
    the `catching` kinds they raised."""
    errors = []

    def run(action):
        try:
            action()
        except catching as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[action]) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
