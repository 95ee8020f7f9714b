"""The one task worker command, whatever the queue: `manage.py task_worker`.

Before working, it marks the imports that stopped giving news as interrupted (a
worker killed in the middle). Then it works on the configured backend's queue:

- on Redis (CAMPUS_TASKS_BACKEND=redis), as an RQ worker: each task runs in a
  forked process, and RQ hands a task to one worker only, so several workers
  (on one machine or more) share the queue. `--batch` is RQ's burst mode.
- on the database, as django-tasks' db_worker, kept alive on SQLite: db_worker
  claims each task in a `BEGIN EXCLUSIVE` transaction opened outside its own
  error handling, so when another process holds SQLite's write lock for longer
  than the busy timeout (an import from the command line, a backup), the worker
  would die of « database is locked » and queued uploads wait forever. This
  command runs it again after a growing pause instead.
"""

import logging
import time
from argparse import ArgumentTypeError

from django.db import OperationalError
from django_rq import get_worker
from django_rq.utils import reset_db_connections

# django-tasks' names, or Django's own where it has them, as db_worker uses.
from django_tasks_db.compat import (
    InvalidTaskBackend,
    task_backends,
)
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception
from django_tasks_rq import Job

from campus.opendata.services import mark_interrupted_runs
from campus.task_queue import REDIS, queue_kind

logger = logging.getLogger(__name__)
FIRST_PAUSE, LAST_PAUSE = 1.0, 30.0
# A worker that ran this long before the lock stopped it starts its pauses over.
CALM_SECONDS = 60.0
RQ_LOG_LEVELS = ["WARNING", "INFO", "DEBUG"]


def valid_backend_name(name: str) -> str:
    try:
        backend = task_backends[name]
    except InvalidTaskBackend as error:
        raise ArgumentTypeError(error.args[0]) from error
    if queue_kind(backend) is None:
        raise ArgumentTypeError(
            f"La file « {name} » n'est ni la base de données ni Redis."
        )
    return name


class Command(db_worker.Command):
    help = (
        "Traite les tâches en file (imports, e-mails) : worker RQ sur Redis, sinon "
        "db_worker, qui reprend après une base verrouillée au lieu de s'arrêter."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # db_worker accepts database backends only; this command takes RQ's too.
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = valid_backend_name

    def handle(self, *args, **options):
        if queue_kind(task_backends[options["backend_name"]]) == REDIS:
            return self.work_on_redis(**options)
        return self.work_on_database(*args, **options)

    def mark_interrupted_runs(self):
        for run in mark_interrupted_runs():
            logger.warning("Import %s was interrupted: %s", run.pk, run.error)

    def work_on_redis(self, *, queue_name, batch, max_tasks, worker_id, **options):
        self.configure_logging(options["verbosity"])
        self.mark_interrupted_runs()
        queues = [] if queue_name == "*" else queue_name.split(",")
        worker = get_worker(*queues, job_class=Job, name=worker_id)
        # The forked process of each task opens its own connections.
        reset_db_connections()
        worker.work(
            burst=batch,
            max_jobs=max_tasks,
            # Tasks deferred with run_after; RQ lets one worker at a time schedule.
            with_scheduler=True,
            logging_level=RQ_LOG_LEVELS[min(options["verbosity"], 2)],
        )

    def work_on_database(self, *args, **options):
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            try:
                self.mark_interrupted_runs()
                return super().handle(*args, **options)
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                if time.monotonic() - started > CALM_SECONDS:
                    pause = FIRST_PAUSE
                logger.warning("Database locked: the worker resumes in %s s.", pause)
                db_worker.close_old_connections()
                time.sleep(pause)
                pause = min(2 * pause, LAST_PAUSE)
