"""The observatory's aggregates are recomputed in the task worker, after the
changes that move them: an import of the catalogue, an outcome of an intervention.
The key figures computed from the indicators are stored again after every import."""

from django.db import transaction
from django_tasks import task

from campus.observatory.aggregates import refresh_observatory
from campus.observatory.key_figures import refresh_key_figures
from campus.opendata.models import ImportSource

# The imports that change the catalogue of trainings.
CATALOGUE_SOURCES = {
    ImportSource.ONISEP_FORMATIONS,
    ImportSource.ONISEP_ACTIONS,
    ImportSource.ONISEP_STRUCTURES,
    ImportSource.ONISEP_PASSAGE,
    ImportSource.RNCP,
    ImportSource.LHEO,
}


@task()
def refresh_observatory_task() -> str:
    return str(refresh_observatory())


def schedule_refresh() -> None:
    """Queues one recomputation once the current transaction has committed."""
    transaction.on_commit(refresh_observatory_task.enqueue)


def refresh_after_import(source: str) -> None:
    """Stores the key figures again at once (an import writes indicator rows and
    dates its source), and queues the aggregates of a catalogue import."""
    refresh_key_figures()
    if source in CATALOGUE_SOURCES:
        schedule_refresh()
