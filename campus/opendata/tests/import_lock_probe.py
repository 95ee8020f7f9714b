"""Probe: do a login and a partner's edit succeed while a Sirene import reads its file?

Run in its own process (`python -m campus.opendata.tests.import_lock_probe VAR_DIR`)
on a SQLite file under VAR_DIR: the test suite's database lives in memory, where
SQLite locks differently. The import is held in the middle of its reading while
the site writes; the probe prints what happened as JSON.
"""

import json
import logging
import os
import sys
import threading
import time


def main(var_dir: str) -> dict:
    # A probe of SQLite's locks: the PostgreSQL run's DATABASE_URL must not send it
    # to that server.
    os.environ.pop("DATABASE_URL", None)
    os.environ["CAMPUS_VAR_DIR"] = var_dir
    os.environ["CAMPUS_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campus.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import OperationalError, connection
    from django.test import Client
    from django.urls import reverse

    # A short wait for the lock, so that the probe answers quickly either way.
    settings.DATABASES["default"]["OPTIONS"]["timeout"] = 1
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    # A refused write is reported in the JSON, not as a traceback of the 500.
    logging.disable(logging.CRITICAL)

    from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
    from campus.network.models import Organisation
    from campus.network.tests.factories import OrganisationFactory
    from campus.opendata.services import run_import
    from campus.opendata.tests.conftest import fixture_path
    from campus.places.tests.factories import CommuneFactory, DepartementFactory
    from campus.profiles.models import CampusProfile, SectorProfile

    cote_dor = DepartementFactory()
    CommuneFactory()
    CommuneFactory(insee_code="21231", name="Dijon", postal_codes="21000")
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor])
    SectorProfile(name="Maroquinerie", naf_codes="15.11Z, 15.12Z, 1411Z").save()
    UserFactory(email="camille@atelier.fr")
    partner = OrganisationFactory(name="Atelier Dupont")
    connection.close()

    reading, site_done = threading.Event(), threading.Event()
    outcome = {}

    def hold_while_reading(done: int, total: int) -> None:
        if not reading.is_set():
            reading.set()
            site_done.wait(30)

    def import_sirene():
        try:
            run = run_import(
                "sirene",
                fixture_path("StockEtablissement_utf8.csv"),
                progress=hold_while_reading,
            )
            outcome["import"] = run.status
        finally:
            connection.close()

    importer = threading.Thread(target=import_sirene)
    importer.start()
    reading.wait(30)
    for name, write in {
        "login": lambda: (
            Client()
            .post(
                reverse("accounts:login"),
                {"username": "camille@atelier.fr", "password": TEST_PASSWORD},
            )
            .status_code
        ),
        "edit": lambda: Organisation.objects.get(pk=partner.pk).save(),
    }.items():
        started = time.monotonic()
        try:
            outcome[name] = write() or "ok"
        except OperationalError as error:
            outcome[name] = str(error)
        outcome[f"{name}_seconds"] = round(time.monotonic() - started, 2)
    site_done.set()
    importer.join(60)
    outcome["organisations"] = Organisation.objects.count()
    return outcome


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
