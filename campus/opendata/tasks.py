"""Imports of uploaded files run in the task worker, not in the web request."""

from functools import partial

from django.db import IntegrityError, transaction
from django_tasks import task

from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.services import (
    RestartRefused,
    create_run,
    record_interruption,
    run_import,
)
from campus.storage import local_copy


@task()
def import_uploaded_file(run_id: int) -> str:
    """Imports a queued run's file: uploaded, or given by path for a restart."""
    run = ImportRun.objects.get(pk=run_id)
    if not run.uploaded_file:
        return run_import(run.source, run.path, run=run).status
    with local_copy(run.uploaded_file) as path:
        return run_import(run.source, path, run=run).status


def queue_uploaded_import(
    source: str, upload, *, acting_user, dry_run: bool = False
) -> ImportRun:
    """Stores the uploaded file, records a queued run and queues its import."""
    with transaction.atomic():
        run = create_run(
            source,
            file_name=upload.name,
            uploaded_file=upload,
            acting_user=acting_user,
            dry_run=dry_run,
        )
        transaction.on_commit(partial(import_uploaded_file.enqueue, run.pk))
    return run


def restart_import(run: ImportRun, *, acting_user) -> tuple[ImportRun, bool]:
    """Queues again the file of an interrupted run, once whatever the clicks.

    Returns the restart and whether this call created it: a second request finds
    the first one's restart, and the one-to-one `restart_of` makes a duplicate
    impossible even from two processes at once.
    """
    try:
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run.pk)
            restart = ImportRun.objects.filter(restart_of=run).first()
            if restart is not None:
                return restart, False
            if run.status == ImportStatus.RUNNING and run.seems_interrupted:
                record_interruption(run)
            if run.status != ImportStatus.INTERRUPTED:
                raise RestartRefused(run.get_status_display())
            restart = create_run(
                run.source,
                file_name=run.file_name,
                uploaded_file=run.uploaded_file.name,
                path=run.path,
                acting_user=acting_user,
                dry_run=run.dry_run,
                restart_of=run,
            )
            transaction.on_commit(partial(import_uploaded_file.enqueue, restart.pk))
    except IntegrityError:
        return ImportRun.objects.get(restart_of=run), False
    return restart, True
