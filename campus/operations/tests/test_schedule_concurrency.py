"""Two copies of run_scheduled_jobs at once, on PostgreSQL's concurrent transactions."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from campus.operations import schedule
from campus.operations.models import ScheduledJobRun
from campus.operations.schedule import Job, claim
from campus.testing.concurrency import POSTGRESQL_THREADS, paused_after, run_together

pytestmark = POSTGRESQL_THREADS

NIGHTLY = Job("nightly", "0 3 * * *", "Chaque nuit.", command="refresh_observatory")


def test_two_runners_at_once_claim_a_job_once(monkeypatch):
    """Two copies checking the same due job at the same moment: one claims it."""
    barrier = threading.Barrier(2)
    monkeypatch.setattr(schedule, "_lock", paused_after(schedule._lock, barrier))
    now = datetime(2026, 3, 10, 3, 1, tzinfo=ZoneInfo("Europe/Paris"))

    errors = run_together(lambda: claim(NIGHTLY, now), lambda: claim(NIGHTLY, now))

    assert errors == []
    assert ScheduledJobRun.objects.filter(job="nightly").count() == 1
