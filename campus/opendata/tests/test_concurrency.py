"""An import on SQLite leaves the site usable (issue 9, point 3)."""

import json
import shutil
import subprocess
import sys

from django.conf import settings


def test_a_login_and_an_edit_succeed_while_a_sirene_import_reads(
    tmp_path, migrated_sqlite_file
):
    """While a Sirene import reads its file, logins and edits are not locked out.

    The probe runs on a SQLite file, in its own process, and waits at most one
    second for the lock: before the import read outside its transaction, both
    writes failed with « database is locked ».
    """
    shutil.copy(migrated_sqlite_file, tmp_path / "campus.sqlite3")
    probe = subprocess.run(
        [sys.executable, "-m", "campus.opendata.tests.import_lock_probe", tmp_path],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome = json.loads(probe.stdout)
    assert (outcome["login"], outcome["edit"]) == (302, "ok"), outcome
    assert outcome["import"] == "succeeded"
    # The partner's organisation and the two Côte-d'Or companies of the file.
    assert outcome["organisations"] == 3
