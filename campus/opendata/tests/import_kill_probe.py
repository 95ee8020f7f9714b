"""Probe: a Sirene import killed (SIGKILL) while reading or while writing.

`python -m campus.opendata.tests.import_kill_probe VAR_DIR kill read|write` sets
up a SQLite file under VAR_DIR and runs an import that kills its own process at
that point; `… VAR_DIR inspect` then prints, as JSON, the run as the kill left
it and once `mark_interrupted_runs` has seen it, and the organisations written.
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


def kill(at: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from campus.opendata.importers import sirene
    from campus.opendata.services import run_import
    from campus.opendata.tests.conftest import fixture_path
    from campus.places.tests.factories import CommuneFactory, DepartementFactory
    from campus.profiles.models import CampusProfile, SectorProfile

    cote_dor = DepartementFactory()
    CommuneFactory(insee_code="21231", name="Dijon", postal_codes="21000")
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor])
    SectorProfile(name="Maroquinerie", naf_codes="15.11Z, 15.12Z, 1411Z").save()

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


if __name__ == "__main__":
    setup_django(sys.argv[1])
    if sys.argv[2] == "kill":
        kill(sys.argv[3])
    else:
        print(json.dumps(inspect()))
