"""The task worker outlives a locked SQLite database (issue 9, point 3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from campus.accounts.tests.factories import UserFactory
from campus.opendata.management.commands import task_worker
from campus.opendata.models import ImportStatus
from campus.opendata.tasks import queue_uploaded_import
from campus.opendata.tests.conftest import fixture_path
from campus.testing.tasks import on_redis

pytestmark = pytest.mark.skipif(
    on_redis(), reason="db_worker and SQLite's lock: the database queue only"
)


@pytest.fixture
def locked_once(monkeypatch, run_tasks):
    """The worker's first claim of a task meets a database locked by another writer."""
    original = db_worker.exclusive_transaction
    calls = []

    def exclusive_transaction(using=None):
        calls.append(using)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return original(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", exclusive_transaction)
    monkeypatch.setattr(task_worker.time, "sleep", lambda seconds: None)
    return calls


def test_db_worker_dies_of_a_locked_database(db, locked_once):
    """django-tasks' own worker exits on « database is locked »: why ours exists."""
    with pytest.raises(OperationalError, match="database is locked"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_task_worker_resumes_after_a_locked_database(
    campus, locked_once, django_capture_on_commit_callbacks
):
    """Our worker pauses after « database is locked », then runs the queued import."""
    path = fixture_path("StockEtablissement_utf8.csv")
    upload = SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        run = queue_uploaded_import(
            "sirene", upload, acting_user=UserFactory(campus_team=True)
        )
    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert len(locked_once) == 3


def test_the_task_worker_stops_on_other_database_errors(db, monkeypatch, run_tasks):
    """Only a locked database is waited out: another error still stops the worker."""

    def broken(using=None):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(db_worker, "exclusive_transaction", broken)
    with pytest.raises(OperationalError, match="no such table"):
        call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)
