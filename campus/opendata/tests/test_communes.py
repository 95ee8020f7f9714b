from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.places.models import Commune

COMMUNES = fixture_path("communes-france-2024.csv")


def test_keeps_the_campus_region_and_records_the_run(campus):
    """Communes of the campus's region are loaded, the others skipped with their line."""
    run = run_import("communes", COMMUNES)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.updated, run.unchanged) == (4, 1, 2, 0)
    assert run.skipped_examples == [[2, "hors de la région du campus"]]
    assert run.licence == "Licence Ouverte 2.0"
    assert Commune.objects.get(insee_code="21426").name == "Montberthault"


def test_second_import_changes_nothing(campus):
    """The second import of the same file only counts unchanged communes."""
    run_import("communes", COMMUNES)
    run = run_import("communes", COMMUNES)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)


def test_truncated_line_is_rejected(campus, tmp_path):
    """A communes file cut in the middle of a line is refused and nothing changes."""
    content = COMMUNES.read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(content[: content.index(b"MONTBERTHAULT") + 5])
    run = run_import("communes", path)
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("ligne 5 : moins de valeurs que de colonnes")
    assert not Commune.objects.filter(insee_code="21426").exists()


def test_pdf_is_not_a_communes_file(campus, tmp_path):
    """A PDF renamed .csv is refused before reading."""
    path = tmp_path / "communes.csv"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    run = run_import("communes", path)
    assert run.status == ImportStatus.FAILED
    assert (
        run.error
        == "ce fichier n'est pas un fichier CSV (« Communes et villes de France » attendu)."
    )
