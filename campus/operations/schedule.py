"""Every periodic job of Campus, in one place, and the runner that starts the due ones.

One system timer or cron line calls `manage.py run_scheduled_jobs` every five
minutes; the command runs, one after the other, the jobs whose last scheduled time
(a cron expression read in TIME_ZONE, Europe/Paris: 03:00 stays 03:00 across the
change of hour) is later than their last start, recorded in `ScheduledJobRun`. A
machine that was down runs each missed job once when it comes back, not once per
missed time. A job never run waits for its first scheduled time, unless that was
less than `FIRST_RUN_GRACE` ago: a new installation does not send the morning's
reminders at midnight.

Two copies may run at once (two machines, a slow run overlapping the next tick):
each job is claimed in a short transaction that serialises the claims (PostgreSQL:
an advisory lock on the job's name, released at commit; SQLite: the IMMEDIATE
transaction Campus opens, which takes the write lock at its start), and a job
claimed by one copy is no longer due for the other. The job itself runs outside
that transaction. A failing job is logged and recorded with the end of its output;
the others still run.
"""

import hashlib
import io
import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from campus.operations.models import Outcome, ScheduledJobRun

logger = logging.getLogger(__name__)

FIRST_RUN_GRACE = timedelta(hours=1)
OUTPUT_EXCERPT = 4000
RUNS_KEPT_FOR = timedelta(days=90)


@dataclass(frozen=True)
class Job:
    """`command` with `args`, at the times of `cron` (minute hour day month
    weekday, in TIME_ZONE)."""

    name: str
    cron: str
    description: str
    command: str
    args: tuple[str, ...] = ()

    def last_due(self, now: datetime) -> datetime:
        """The latest scheduled time at or before `now`."""
        start = timezone.localtime(now) + timedelta(microseconds=1)
        return croniter(self.cron, start).get_prev(datetime)

    def next_due(self, now: datetime) -> datetime:
        return croniter(self.cron, timezone.localtime(now)).get_next(datetime)

    def is_due(self, last_start: datetime | None, now: datetime) -> bool:
        last_due = self.last_due(now)
        if last_start is None:
            return last_due > now - FIRST_RUN_GRACE
        return last_start < last_due


JOBS = (
    Job(
        "mark_interrupted_imports",
        "*/10 * * * *",
        "Imports sans nouvelles depuis CAMPUS_IMPORT_STALE_AFTER : « Interrompu ».",
        command="mark_interrupted_imports",
    ),
    Job(
        "backup",
        "30 2 * * *",
        "Sauvegarde de la base et des fichiers déposés (CAMPUS_BACKUP_DIR).",
        command="backup",
        args=("--keep", str(settings.CAMPUS_BACKUP_KEEP)),
    ),
    Job(
        "purge_personal_data",
        "0 3 * * *",
        "Effacement des données personnelles qui ont servi.",
        command="purge_personal_data",
    ),
    Job(
        "purge_unconfirmed_requests",
        "10 3 * * *",
        "Demandes d'intervention jamais confirmées.",
        command="purge_unconfirmed_requests",
    ),
    Job(
        "refresh_observatory",
        "30 3 * * *",
        "Chiffres de l'observatoire tirés du catalogue, des interventions et "
        "des effectifs Urssaf.",
        command="refresh_observatory",
    ),
    Job(
        "send_event_reminders",
        "0 9 * * *",
        "Rappel de la veille aux inscrits des événements.",
        command="send_event_reminders",
    ),
    Job(
        "send_need_reminders",
        "5 9 * * *",
        "Rappel des besoins non revus depuis six mois.",
        command="send_need_reminders",
    ),
    Job(
        "send_survey_reminders",
        "7 9 * * *",
        "Relance des entreprises qui n'ont pas répondu à une enquête sur les besoins.",
        command="send_survey_reminders",
    ),
    Job(
        "send_offer_reminders",
        "10 9 * * *",
        "Offres qui expirent dans les sept jours.",
        command="send_offer_reminders",
    ),
    Job(
        "remind_project_milestones",
        "15 9 * * *",
        "Étapes des projets lauréats à venir ou en retard.",
        command="remind_project_milestones",
    ),
)
JOBS_BY_NAME = {job.name: job for job in JOBS}


def _lock(job: Job) -> None:
    if connection.vendor == "postgresql":
        key = int.from_bytes(
            hashlib.sha256(job.name.encode()).digest()[:8], "big", signed=True
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def claim(job: Job, now: datetime, *, force: bool = False) -> ScheduledJobRun | None:
    """Records the start of `job` if it is due (or forced); None otherwise."""
    with transaction.atomic():
        _lock(job)
        last = ScheduledJobRun.objects.filter(job=job.name).order_by("-started_at")
        last_start = last.values_list("started_at", flat=True).first()
        if not force and not job.is_due(last_start, now):
            return None
        return ScheduledJobRun.objects.create(job=job.name, started_at=now)


def execute(job: Job, run: ScheduledJobRun) -> ScheduledJobRun:
    output = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except (Exception, SystemExit):
        logger.exception("Scheduled job %s failed", job.name)
        output.write(traceback.format_exc())
        run.outcome = Outcome.FAILED
    else:
        logger.info("Scheduled job %s succeeded", job.name)
        run.outcome = Outcome.SUCCEEDED
    run.finished_at = timezone.now()
    run.output = output.getvalue()[-OUTPUT_EXCERPT:]
    run.save(update_fields=["outcome", "finished_at", "output"])
    return run


def run_due_jobs(now: datetime | None = None) -> list[ScheduledJobRun]:
    """Runs every due job, in the registry's order; returns their runs."""
    runs = []
    for job in JOBS:
        run = claim(job, now or timezone.now())
        if run is not None:
            runs.append(execute(job, run))
    ScheduledJobRun.objects.filter(
        started_at__lt=(now or timezone.now()) - RUNS_KEPT_FOR
    ).delete()
    return runs


def run_now(name: str, now: datetime | None = None) -> ScheduledJobRun:
    job = JOBS_BY_NAME[name]
    return execute(job, claim(job, now or timezone.now(), force=True))
