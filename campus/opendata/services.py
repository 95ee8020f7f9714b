"""Running an import: the one workflow behind the command, the upload and the task."""

import logging
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from campus.opendata.importers import SOURCES
from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    unpacked_csv,
)
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.progress import ProgressTracker

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
        definition = SOURCES[source]
        unpack = nullcontext(path) if definition.reads_archives else unpacked_csv(path)
        with unpack as file_path, transaction.atomic():
            definition.import_file(
                file_path, report=report, progress=tracker, **options
            )
            if run.dry_run:
                transaction.set_rollback(True)
    except ImportFileError as error:
        _record_failure(run, report, str(error))
    except FileNotFoundError:
        _record_failure(run, report, f"fichier introuvable : {path}")
    except OSError as error:
        _record_failure(run, report, f"fichier illisible : {error.strerror}")
    except UnicodeDecodeError:
        _record_failure(
            run,
            report,
            "caractères illisibles : le fichier doit être encodé en UTF-8.",
        )
    except Exception:
        _record_failure(run, report, "erreur inattendue : l'import a été annulé.")
        raise
    else:
        run.status = ImportStatus.SUCCEEDED
        run.created, run.updated = report.created, report.updated
        run.unchanged, run.skipped = report.unchanged, report.skipped
        run.skipped_reasons = dict(report.skipped_reasons)
        run.skipped_examples = [list(example) for example in report.skipped_examples]
        run.summary = report.summary
        tracker.finish()
    finally:
        tracker.clear()
        run.rows_read = report.rows_read
        run.finished_at = timezone.now()
        run.save()
    return run


def _record_failure(run: ImportRun, report: ImportReport, message: str) -> None:
    # Nothing was written: the counts of a failed run stay at zero.
    logger.info("Import %s failed: %s", run.pk, message)
    run.status, run.error = ImportStatus.FAILED, message
