"""Imports of uploaded files run in the task worker, not in the web request."""

from functools import partial

from django.db import transaction
from django_tasks import task

from campus.opendata.models import ImportRun
from campus.opendata.services import create_run, run_import


@task()
def import_uploaded_file(run_id: int) -> str:
    run = ImportRun.objects.get(pk=run_id)
    return run_import(run.source, run.uploaded_file.path, run=run).status


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
