"""The task worker of `make demo`: django-tasks' db_worker, kept alive on SQLite.

db_worker claims each task in a `BEGIN EXCLUSIVE` transaction opened outside its
own error handling: when another process holds SQLite's write lock for longer
than the busy timeout (an import from the command line, a backup), the worker
dies of « database is locked » and queued uploads wait forever. This command
runs it again after a growing pause instead. Before working, it marks the
imports that stopped giving news as interrupted (a worker killed in the middle).
"""

import logging
import time

from django.db import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

from campus.opendata.services import mark_interrupted_runs

logger = logging.getLogger(__name__)
FIRST_PAUSE, LAST_PAUSE = 1.0, 30.0
# A worker that ran this long before the lock stopped it starts its pauses over.
CALM_SECONDS = 60.0


class Command(db_worker.Command):
    help = (
        "Traite les tâches en file (imports, e-mails) comme db_worker, et reprend "
        "après une base verrouillée au lieu de s'arrêter."
    )

    def handle(self, *args, **options):
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            try:
                for run in mark_interrupted_runs():
                    logger.warning("Import %s was interrupted: %s", run.pk, run.error)
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
