import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campus.accounts.tests.factories import UserFactory
from campus.opendata.models import ImportRun, ImportStatus
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
    montberthault = Commune.objects.get(insee_code="21426")
    assert montberthault.name == "Montberthault"
    assert (montberthault.source, montberthault.source_licence) == (
        "data.gouv.fr, Communes et villes de France",
        "Licence Ouverte 2.0",
    )


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


def test_2025_columns_shuffled_with_a_bom(campus, tmp_path):
    """Extra 2025 columns, another column order and a BOM give the same import."""
    with COMMUNES.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[0] += ["code_unite_urbaine", "grille_densite_texte"]
    for row in rows[1:]:
        row += ["21701", "Centres urbains intermédiaires"]
    order = list(reversed(range(len(rows[0]))))
    path = tmp_path / "communes-france-2025.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows([[row[i] for i in order] for row in rows])
    run = run_import("communes", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.updated, run.skipped) == (1, 2, 1)
    assert Commune.objects.get(insee_code="21231").postal_code_list == [
        "21000",
        "21100",
        "21031",
        "21033",
    ]


def test_urssaf_file_is_not_a_communes_file(campus):
    """An Urssaf file given to the communes importer is refused, nothing written."""
    run = run_import("communes", fixture_path("urssaf-commune-ape.csv"))
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith(
        "ce fichier n'est pas un fichier de communes : colonnes manquantes"
    )
    assert Commune.objects.count() == 3


@pytest.mark.django_db
def test_load_communes_is_the_same_import_under_its_old_name(tmp_path):
    """load_communes records an import run, keeps the régions it is given and names who ran it."""
    member = UserFactory(email="equipe@campus.example", campus_team=True)
    out = StringIO()
    call_command(
        "load_communes",
        str(COMMUNES),
        "--region",
        "27",
        "--par",
        member.email,
        stdout=out,
    )
    assert out.getvalue() == "3 créées, 0 mises à jour, 0 inchangées, 1 ignorées.\n"
    run = ImportRun.objects.get()
    assert (run.source, run.triggered_by, run.created) == ("communes", member, 3)
    with pytest.raises(CommandError, match="fichier introuvable"):
        call_command("load_communes", str(tmp_path / "absent.csv"))


@pytest.mark.django_db
def test_load_communes_without_a_file_loads_the_shipped_region():
    """Without a file, load_communes imports the communes shipped with Campus."""
    call_command("load_communes", stdout=StringIO())
    assert Commune.objects.count() > 3600
