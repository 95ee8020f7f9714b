"""Running an import: the one workflow behind the command, the upload and the task."""

import logging
from collections.abc import Callable
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from campus.observatory.tasks import refresh_after_import
from campus.opendata.importers import SOURCES
from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    check_archive_file,
    unpacked_csv,
)
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.progress import ProgressTracker
from campus.task_queue import fail_running

logger = logging.getLogger(__name__)


def create_run(
    source: str, *, file_name: str, acting_user=None, dry_run: bool = False, **fields
) -> ImportRun:
    """A queued import run, with the licence and attribution of its source."""
    definition = SOURCES[source]
    return ImportRun.objects.create(
        source=source,
        file_name=file_name,
        licence=definition.licence,
        attribution=definition.attribution,
        dry_run=dry_run,
        triggered_by=acting_user,
        **fields,
    )


def run_import(
    source: str,
    path: Path | str,
    *,
    dry_run: bool = False,
    acting_user=None,
    progress: Callable[[int, int], None] | None = None,
    run: ImportRun | None = None,
    **options,
) -> ImportRun:
    """Imports one file all-or-nothing, and records the run and its report.

    The run's state is written outside the import's transaction, so that it
    stays recorded when the import fails or is a dry run (rolled back).
    """
    path = Path(path)
    if source not in SOURCES:
        raise ValueError(f"Source inconnue : {source}")
    if run is None:
        run = create_run(
            source,
            file_name=path.name,
            path=str(path),
            acting_user=acting_user,
            dry_run=dry_run,
        )
    run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    tracker = ProgressTracker(run.pk, progress)
    report = ImportReport()
    try:
        _import_all_or_nothing(
            source,
            path,
            report=report,
            progress=tracker,
            dry_run=run.dry_run,
            **options,
        )
    except (ImportFileError, OSError, UnicodeDecodeError) as error:
        _record_failure(run, _failure_message(error, path))
    except Exception:
        _record_failure(run, "erreur inattendue : l'import a été annulé.")
        raise
    else:
        _record_success(run, report)
        tracker.finish()
    finally:
        tracker.clear()
        run.rows_read = report.rows_read
        run.finished_at = timezone.now()
        run.save()
    if run.status == ImportStatus.SUCCEEDED and not run.dry_run:
        refresh_after_import(source)
    return run


def _import_all_or_nothing(
    source: str,
    path: Path,
    *,
    report: ImportReport,
    progress: ProgressTracker,
    dry_run: bool,
    **options,
) -> None:
    """Runs the source's importer in one transaction, rolled back for a dry run.

    SQLite lets one writer in at a time, and waits `timeout` seconds for the lock
    before « database is locked »: a source that can read its file first
    (`read_file`) does so outside the transaction, which then holds the lock only
    while the records are written.
    """
    definition = SOURCES[source]
    if definition.reads_archives:
        check_archive_file(path)
    unpack = nullcontext(path) if definition.reads_archives else unpacked_csv(path)
    with unpack as file_path:
        if definition.read_file is None:
            write = partial(
                definition.import_file,
                file_path,
                report=report,
                progress=progress,
                **options,
            )
        else:
            write = definition.read_file(
                file_path, report=report, progress=progress, **options
            )
        with transaction.atomic():
            write()
            if dry_run:
                transaction.set_rollback(True)


def _failure_message(error: Exception, path: Path) -> str:
    """What a failed run tells about an unreadable file (ImportFileError says it)."""
    if isinstance(error, FileNotFoundError):
        return f"fichier introuvable : {path}"
    if isinstance(error, OSError):
        return f"fichier illisible : {error.strerror}"
    if isinstance(error, UnicodeDecodeError):
        return "caractères illisibles : le fichier doit être encodé en UTF-8."
    return str(error)


def _record_success(run: ImportRun, report: ImportReport) -> None:
    run.status = ImportStatus.SUCCEEDED
    run.created, run.updated = report.created, report.updated
    run.unchanged, run.skipped = report.unchanged, report.skipped
    run.skipped_reasons = dict(report.skipped_reasons)
    run.skipped_examples = [list(example) for example in report.skipped_examples]
    run.summary = report.summary


def _record_failure(run: ImportRun, message: str) -> None:
    # Nothing was written: the counts of a failed run stay at zero.
    logger.info("Import %s failed: %s", run.pk, message)
    run.status, run.error = ImportStatus.FAILED, message


class RestartRefused(Exception):
    """Only an interrupted run can be restarted."""


class ImportInterrupted(Exception):
    """The task's import stopped giving news: its worker was killed."""


def mark_interrupted_runs() -> list[ImportRun]:
    """Records as interrupted the running imports without a heartbeat for too long.

    Their worker was killed (or restarted) in the middle: their transaction was
    rolled back, so nothing of them was written. Their task is failed too, so
    that it does not stay « running » in the queue.
    """
    interrupted = []
    for run in ImportRun.objects.running().order_by("pk"):
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run.pk)
            if run.status == ImportStatus.RUNNING and run.seems_interrupted:
                record_interruption(run)
                interrupted.append(run)
    return interrupted


def record_interruption(run: ImportRun) -> None:
    when = date_format(timezone.localtime(run.last_heartbeat), "d/m/Y à H:i")
    run.error = (
        f"interrompu à {run.percent} % : aucune nouvelle depuis le {when}. Le "
        "processus qui le menait s'est arrêté ; rien n'a été modifié."
    )
    run.status, run.finished_at = ImportStatus.INTERRUPTED, timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    logger.info("Import %s interrupted", run.pk)
    # tasks.py imports this module for the import's body.
    from campus.opendata.tasks import import_uploaded_file

    fail_running(import_uploaded_file, [run.pk], ImportInterrupted(run.error))
