"""A killed import is shown, then marked, interrupted; it is restarted once (issue 9, 4)."""

import json
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from campus.accounts.tests.factories import UserFactory
from campus.dates import french_date
from campus.network.models import Organisation
from campus.network.tests.factories import MembershipFactory
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.progress import CACHE_ALIAS, _key
from campus.opendata.services import create_run, mark_interrupted_runs, run_import
from campus.opendata.tasks import queue_uploaded_import
from campus.opendata.tests.conftest import fixture_path
from campus.testing.tasks import claim_by_a_worker_that_dies, task_results

STOCK = fixture_path("StockEtablissement_utf8.csv")


@pytest.fixture
def team_member(db):
    return UserFactory(campus_team=True)


@pytest.fixture
def killed_run(campus, team_member, django_capture_on_commit_callbacks):
    """An uploaded import whose worker was killed at 51 %, ten minutes ago."""
    upload = SimpleUploadedFile(STOCK.name, STOCK.read_bytes(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        run = queue_uploaded_import("sirene", upload, acting_user=team_member)
    [queued] = task_results()
    claim_by_a_worker_that_dies(queued)
    return give_news(run, minutes_ago=10)


def give_news(run, *, minutes_ago):
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now() - timedelta(minutes=minutes_ago + 1)
    run.save()
    caches[CACHE_ALIAS].set(
        _key(run.pk),
        {"done": 51, "total": 100, "at": time.time() - 60 * minutes_ago},
        3600,
    )
    return run


def restart(client, run):
    return client.post(reverse("opendata:run_restart", args=[run.pk]))


def test_a_silent_run_is_shown_interrupted_and_reading_writes_nothing(
    client, killed_run, team_member
):
    """Ten minutes without news: the pages say « Interrompu », the row stays as it is."""
    client.force_login(team_member)
    page = client.get(killed_run.get_absolute_url())
    last = timezone.localtime(timezone.now() - timedelta(minutes=10))
    assert (
        "L'import s'est interrompu à 51 % : aucune nouvelle depuis le "
        + french_date(last, "heure")
        in page.text
    )
    assert "Relancer l'import du même fichier" in page.text
    assert "hx-trigger" not in page.text
    assert "badge--interrupted" in client.get(reverse("opendata:run_list")).text
    killed_run.refresh_from_db()
    assert killed_run.status == ImportStatus.RUNNING


def test_a_run_giving_news_is_still_running(client, campus, team_member):
    """A heartbeat a minute old, under the five minutes stated, is an import at work."""
    run = give_news(create_run("sirene", file_name="stock.csv"), minutes_ago=1)
    client.force_login(team_member)
    page = client.get(run.get_absolute_url())
    assert "51 % lu" in page.text and "interrompu" not in page.text
    assert not run.seems_interrupted and mark_interrupted_runs() == []


def test_the_worker_marks_silent_runs_interrupted_when_it_starts(killed_run, run_tasks):
    """At start-up, task_worker records the interruption and fails the stuck task."""
    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)
    killed_run.refresh_from_db()
    assert killed_run.status == ImportStatus.INTERRUPTED
    assert killed_run.error.startswith("interrompu à 51 % : aucune nouvelle depuis le")
    [failed] = task_results()
    assert failed.status == TaskResultStatus.FAILED


def test_the_command_marks_silent_runs_interrupted(killed_run):
    """mark_interrupted_imports does the same from cron or by hand, and counts."""
    call_command("mark_interrupted_imports")
    killed_run.refresh_from_db()
    assert killed_run.status == ImportStatus.INTERRUPTED


def test_a_restart_imports_the_file_once_whatever_the_clicks(
    client, killed_run, team_member, run_tasks, django_capture_on_commit_callbacks
):
    """Two clicks, and a click while the restart runs, give one restart, one import."""
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = restart(client, killed_run), restart(client, killed_run)
    restarted = ImportRun.objects.get(restart_of=killed_run)
    assert first.url == second.url == restarted.get_absolute_url()
    assert restarted.uploaded_file == killed_run.uploaded_file
    killed_run.refresh_from_db()
    assert killed_run.status == ImportStatus.INTERRUPTED
    assert "Il est relancé" in client.get(killed_run.get_absolute_url()).text

    give_news(restarted, minutes_ago=0)
    assert restart(client, killed_run).url == restarted.get_absolute_url()
    restarted.status = ImportStatus.QUEUED
    restarted.save()
    run_tasks()
    restarted.refresh_from_db()
    assert (restarted.status, restarted.created) == (ImportStatus.SUCCEEDED, 3)
    assert ImportRun.objects.count() == 2
    assert Organisation.objects.count() == 3
    # The upsert is idempotent: the same file again creates nothing.
    again = run_import("sirene", restarted.uploaded_file.path)
    assert (again.created, again.unchanged) == (0, 3)
    assert Organisation.objects.count() == 3


def test_a_run_can_be_restarted_only_once(killed_run):
    """The database itself refuses a second restart of the same run."""
    create_run("sirene", file_name=killed_run.file_name, restart_of=killed_run)
    with pytest.raises(IntegrityError):
        create_run("sirene", file_name=killed_run.file_name, restart_of=killed_run)


def test_a_run_giving_news_is_not_restarted(client, campus, team_member):
    """Restarting an import at work is refused in French, and nothing is queued."""
    run = give_news(create_run("sirene", file_name="stock.csv"), minutes_ago=1)
    client.force_login(team_member)
    response = restart(client, run)
    assert response.url == run.get_absolute_url()
    assert (
        "n'est pas interrompu (état : En cours)"
        in [str(message) for message in response.wsgi_request._messages][0]
    )
    assert ImportRun.objects.count() == 1


def test_only_the_campus_team_restarts_and_only_by_post(client, killed_run):
    """Partners get a 404, visitors the login page, and a GET is not allowed."""
    assert restart(client, killed_run).url.startswith(reverse("accounts:login"))
    client.force_login(MembershipFactory().user)
    assert restart(client, killed_run).status_code == 404
    client.force_login(UserFactory(campus_team=True))
    url = reverse("opendata:run_restart", args=[killed_run.pk])
    assert client.get(url).status_code == 405
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize("at", ["read", "write"])
def test_an_import_killed_leaves_nothing_and_is_marked_interrupted(
    tmp_path, at, migrated_sqlite_file
):
    """SIGKILL while reading or before the commit: « En cours » stays, nothing else.

    In its own process on a SQLite file: the run stays « running » after the
    kill, `mark_interrupted_runs` records it once silent, and no company is
    written (all-or-nothing).
    """

    def probe(*args):
        return subprocess.run(
            [sys.executable, "-m", "campus.opendata.tests.import_kill_probe"]
            + [tmp_path, *args],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )

    shutil.copy(migrated_sqlite_file, tmp_path / "campus.sqlite3")
    assert probe("kill", at).returncode == -signal.SIGKILL
    outcome = json.loads(probe("inspect").stdout)
    assert outcome["killed"]["status"] == ImportStatus.RUNNING
    assert outcome["marked"] == ImportStatus.INTERRUPTED
    assert outcome["organisations"] == 0
