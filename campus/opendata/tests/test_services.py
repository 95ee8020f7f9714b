from dataclasses import replace

import pytest

from campus.network.models import Organisation
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.importers import SOURCES
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path

URSSAF = fixture_path("urssaf-commune-ape.csv")


@pytest.fixture
def urssaf_importer(monkeypatch):
    """Replaces the Urssaf importer's work by the given function."""

    def use(import_file):
        source = replace(SOURCES[ImportSource.URSSAF], import_file=import_file)
        monkeypatch.setitem(SOURCES, ImportSource.URSSAF, source)

    return use


def test_a_dry_run_reports_its_counts_and_writes_nothing(campus):
    """A dry run is rolled back, but its run keeps the counts it would have written."""
    run = run_import(
        "sirene", fixture_path("StockEtablissement_utf8.csv"), dry_run=True
    )
    assert run.status == ImportStatus.SUCCEEDED and run.dry_run
    assert (run.rows_read, run.created, run.skipped) == (8, 3, 5)
    assert Organisation.objects.count() == 0


def test_an_unknown_source_is_refused_before_any_run(db):
    """Only the registered sources can be imported."""
    with pytest.raises(ValueError, match="Source inconnue"):
        run_import("inconnue", URSSAF)


def test_a_folder_instead_of_a_file_fails_the_run(campus, tmp_path):
    """A path that cannot be read as a file fails the run with the system's reason."""
    run = run_import("urssaf", tmp_path)
    assert run.status == ImportStatus.FAILED
    assert run.error == "fichier illisible : Is a directory"
    assert run.finished_at is not None


def test_a_file_that_is_not_utf8_fails_the_run(campus, urssaf_importer):
    """An importer meeting bytes that are not UTF-8 fails the run in French."""

    def import_file(path, *, report, progress):
        b"\xff".decode()

    urssaf_importer(import_file)
    run = run_import("urssaf", URSSAF)
    assert run.status == ImportStatus.FAILED
    assert run.error == "caractères illisibles : le fichier doit être encodé en UTF-8."


def test_an_unexpected_error_is_raised_after_undoing_the_import(
    campus, urssaf_importer
):
    """A bug in an importer rolls back its writes, records the failure and raises."""

    def import_file(path, *, report, progress):
        OrganisationFactory()
        report.rows_read = 4
        raise RuntimeError("bug")

    urssaf_importer(import_file)
    with pytest.raises(RuntimeError):
        run_import("urssaf", URSSAF)
    assert Organisation.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert run.error == "erreur inattendue : l'import a été annulé."
    assert (run.rows_read, run.created) == (4, 0)
