"""The scheduled jobs: which run when, on a fixed clock, and what is recorded."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from django.core.management import CommandError, call_command, get_commands

from campus.operations import schedule
from campus.operations.models import Outcome, ScheduledJobRun
from campus.operations.schedule import JOBS, Job, run_due_jobs

PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.django_db

NIGHTLY = Job(
    "nightly", "0 3 * * *", "Chaque nuit.", command="mark_interrupted_imports"
)
FREQUENT = Job(
    "frequent", "*/10 * * * *", "Toutes les dix minutes.", command="refresh_observatory"
)
FAILING = Job(
    "failing", "*/10 * * * *", "Échoue.", command="import_data", args=("inconnue",)
)


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def registry(monkeypatch):
    def use(*jobs):
        monkeypatch.setattr(schedule, "JOBS", jobs)

    return use


def test_every_job_names_a_command_and_a_valid_schedule():
    """The registry names existing commands, once each, with valid cron times."""
    commands = get_commands()
    assert len({job.name for job in JOBS}) == len(JOBS)
    for job in JOBS:
        assert job.command in commands, job.name
        assert croniter.is_valid(job.cron), job.name
    assert {job.command for job in JOBS} >= {
        "backup",
        "purge_personal_data",
        "send_event_reminders",
        "mark_interrupted_imports",
        "refresh_observatory",
    }


def test_a_nightly_job_runs_once_after_its_time(registry):
    """A job at 03:00 runs at the first tick after 03:00, once a night."""
    registry(NIGHTLY)
    ScheduledJobRun.objects.create(job="nightly", started_at=at(9, 3, 2))

    assert run_due_jobs(at(10, 2, 55)) == []
    (run,) = run_due_jobs(at(10, 3, 2))
    assert run_due_jobs(at(10, 3, 7)) == []
    assert run_due_jobs(at(10, 23, 59)) == []
    assert len(run_due_jobs(at(11, 3, 0))) == 1

    run.refresh_from_db()
    assert run.job == "nightly"
    assert run.started_at == at(10, 3, 2)
    assert run.outcome == Outcome.SUCCEEDED
    assert "import(s) interrompu(s)" in run.output
    assert run.finished_at >= run.started_at


def test_missed_times_are_caught_up_once(registry):
    """After three days down, the nightly job runs once, not three times."""
    registry(NIGHTLY)
    ScheduledJobRun.objects.create(job="nightly", started_at=at(7, 3, 1))

    assert len(run_due_jobs(at(10, 12, 0))) == 1
    assert run_due_jobs(at(10, 12, 5)) == []


def test_a_new_job_waits_for_its_first_time(registry):
    """A nightly job never run waits for 03:00; a frequent one starts at once."""
    registry(NIGHTLY, FREQUENT)

    (run,) = run_due_jobs(at(10, 14, 0))

    assert run.job == "frequent"
    assert [r.job for r in run_due_jobs(at(11, 3, 5))] == ["nightly", "frequent"]


def test_the_time_of_day_follows_paris_across_the_change_of_hour(registry):
    """03:00 is 03:00 in Paris before and after the clocks go forward."""
    registry(NIGHTLY)
    ScheduledJobRun.objects.create(job="nightly", started_at=at(28, 3, 1))

    assert run_due_jobs(at(29, 1, 59)) == []
    assert len(run_due_jobs(at(29, 3, 1))) == 1
    assert NIGHTLY.next_due(at(29, 12)) == datetime(2026, 3, 30, 3, 0, tzinfo=PARIS)
    assert NIGHTLY.next_due(at(29, 12)).utcoffset().total_seconds() == 7200


def test_a_job_runs_once_in_the_hour_that_comes_twice(registry):
    """On the night the clocks go back, 02:30 happens twice; the job runs once."""
    registry(Job("backup", "30 2 * * *", "Sauvegarde.", command="refresh_observatory"))
    utc = ZoneInfo("UTC")

    assert len(run_due_jobs(datetime(2026, 10, 25, 0, 31, tzinfo=utc))) == 1
    assert run_due_jobs(datetime(2026, 10, 25, 1, 31, tzinfo=utc)) == []


def test_a_failing_job_is_recorded_and_the_others_still_run(registry):
    """The failure is recorded with its message; the next job runs; the
    command then exits with an error naming the failed job."""
    registry(FAILING, FREQUENT)

    failed, succeeded = run_due_jobs(at(10, 9, 0))

    assert failed.outcome == Outcome.FAILED
    assert "inconnue" in failed.output
    assert succeeded.outcome == Outcome.SUCCEEDED
    with pytest.raises(CommandError, match="1 tâche\\(s\\) en échec : failing"):
        call_command("run_scheduled_jobs", stdout=io.StringIO())


def test_run_forces_a_job_that_is_not_due(capsys):
    """--run starts the named job at once, even if it has just run."""
    call_command("run_scheduled_jobs", "--run", "refresh_observatory")
    call_command("run_scheduled_jobs", "--run", "refresh_observatory")

    runs = ScheduledJobRun.objects.filter(job="refresh_observatory")
    assert runs.count() == 2
    assert {run.outcome for run in runs} == {Outcome.SUCCEEDED}
    assert "refresh_observatory : réussie" in capsys.readouterr().out


def test_list_shows_the_last_and_the_next_run(capsys):
    """--list names each job with its schedule, last run and next run."""
    call_command("run_scheduled_jobs", "--run", "purge_personal_data")
    capsys.readouterr()

    call_command("run_scheduled_jobs", "--list")

    out = capsys.readouterr().out
    assert "purge_personal_data [0 3 * * *]" in out
    assert "(réussie) ; prochaine :" in out
    assert "backup [30 2 * * *]" in out
    assert ScheduledJobRun.objects.count() == 1


def test_old_runs_are_forgotten(registry):
    """Runs older than 90 days are deleted by the runner."""
    registry(NIGHTLY)
    ScheduledJobRun.objects.create(
        job="nightly", started_at=at(1, 3).replace(year=2025)
    )

    run_due_jobs(at(10, 3, 5))

    assert list(ScheduledJobRun.objects.values_list("started_at", flat=True)) == [
        at(10, 3, 5)
    ]


def test_the_team_reads_the_runs_and_changes_none(admin_client):
    """The admin lists the runs and offers no way to add, change or delete one."""
    run = ScheduledJobRun.objects.create(
        job="backup", started_at=at(10, 2, 30), outcome=Outcome.FAILED
    )
    base = "/gestion/admin/operations/scheduledjobrun/"

    listing = admin_client.get(base)
    assert listing.status_code == 200
    assert "backup" in listing.content.decode()
    assert admin_client.get(f"{base}{run.pk}/change/").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert (
        admin_client.post(f"{base}{run.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert ScheduledJobRun.objects.filter(pk=run.pk).exists()
