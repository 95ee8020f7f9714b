"""Probe: a Sirene import killed (SIGKILL) while reading or while writing.

`python -m campus.opendata.tests.import_kill_probe VAR_DIR kill read|write` sets
up a SQLite file under VAR_DIR and runs an import that kills its own process at
that point; `… VAR_DIR inspect` then prints, as JSON, the run as the kill left
it and once `mark_interrupted_runs` has seen it, and the organisations written.

On the Redis queue (CAMPUS_TASKS_BACKEND=redis, CAMPUS_REDIS_URL), `… VAR_DIR
kill-worker worker|task` queues an uploaded import and runs `task_worker`, whose
task kills, while writing, the whole worker (the worker, then the process that
RQ forked for the task) or that task's process alone; `… VAR_DIR restart` then
restarts the import from its page once silent, runs `task_worker` again and
prints, as JSON, what each step left.
"""

import json
import os
import signal
import sys


def setup_django(var_dir: str) -> None:
    # A probe of SQLite's locks: the PostgreSQL run's DATABASE_URL must not send it
    # to that server.
    os.environ.pop("DATABASE_URL", None)
    os.environ["CAMPUS_VAR_DIR"] = var_dir
    os.environ["CAMPUS_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campus.settings")
    import django

    django.setup()


def set_up_campus() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from campus.places.tests.factories import CommuneFactory, DepartementFactory
    from campus.profiles.models import CampusProfile, SectorProfile

    cote_dor = DepartementFactory()
    CommuneFactory(insee_code="21231", name="Dijon", postal_codes="21000")
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor])
    SectorProfile(name="Maroquinerie", naf_codes="15.11Z, 15.12Z, 1411Z").save()


def kill(at: str) -> None:
    from campus.opendata.importers import sirene
    from campus.opendata.services import run_import
    from campus.opendata.tests.conftest import fixture_path

    set_up_campus()

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if at == "read":
        # The file is read, the transaction not yet begun.
        sirene.Persister.prepare = die
    else:
        # The companies are inserted, the transaction not yet committed.
        sirene.Persister.unpublish_closed = die
    run_import("sirene", fixture_path("StockEtablissement_utf8.csv"))


def inspect() -> dict:
    from django.conf import settings

    from campus.network.models import Organisation
    from campus.opendata.models import ImportRun
    from campus.opendata.services import mark_interrupted_runs

    run = ImportRun.objects.get()
    seen = {"status": run.status, "shown": run.shown_status, "percent": run.percent}
    settings.CAMPUS_IMPORT_STALE_AFTER = 0
    mark_interrupted_runs()
    run.refresh_from_db()
    return {
        "killed": seen,
        "marked": run.status,
        "error": run.error,
        "organisations": Organisation.objects.count(),
    }


def kill_worker(whom: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from campus.accounts.tests.factories import UserFactory
    from campus.opendata.importers import sirene
    from campus.opendata.tasks import queue_uploaded_import
    from campus.opendata.tests.conftest import fixture_path

    set_up_campus()
    stock = fixture_path("StockEtablissement_utf8.csv")
    upload = SimpleUploadedFile(stock.name, stock.read_bytes(), "text/csv")
    team_member = UserFactory(campus_team=True)
    queue_uploaded_import("sirene", upload, acting_user=team_member)

    def die(*args, **kwargs):
        if whom == "worker":
            os.kill(os.getppid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    # The companies are inserted, the transaction not yet committed.
    sirene.Persister.unpublish_closed = die
    call_command("task_worker", "--batch", verbosity=0)


def restart() -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from campus.accounts.models import User
    from campus.network.models import Organisation
    from campus.opendata.models import ImportRun
    from campus.testing.tasks import task_results

    killed = ImportRun.objects.get()
    [task] = task_results()
    seen = {"status": killed.status, "task": task.status}
    settings.CAMPUS_IMPORT_STALE_AFTER = 0
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get())
    url = reverse("opendata:run_restart", args=[killed.pk])
    clicks = [client.post(url).status_code for _ in range(2)]
    call_command("task_worker", "--batch", verbosity=0)
    killed.refresh_from_db()
    restarted = ImportRun.objects.get(restart_of=killed)
    return {
        "killed": seen,
        "clicks": clicks,
        "marked": killed.status,
        "tasks": [result.status for result in task_results()],
        "restarted": [restarted.status, restarted.created],
        "runs": ImportRun.objects.count(),
        "organisations": Organisation.objects.count(),
    }


if __name__ == "__main__":
    setup_django(sys.argv[1])
    if sys.argv[2] == "kill":
        kill(sys.argv[3])
    elif sys.argv[2] == "kill-worker":
        kill_worker(sys.argv[3])
    elif sys.argv[2] == "restart":
        print(json.dumps(restart()))
    else:
        print(json.dumps(inspect()))
