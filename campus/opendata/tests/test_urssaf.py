import zipfile
from decimal import Decimal

import pytest

from campus.observatory.models import Indicator
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path

URSSAF = fixture_path("urssaf-commune-ape.csv")


def figures():
    return {
        (i.key, i.naf_code, i.territory_code, i.year): i.value
        for i in Indicator.objects.all()
    }


def write_variant(tmp_path, text):
    path = tmp_path / "variant.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode().replace(b"\n", b"\r\n"))
    return path


def fixture_text():
    return URSSAF.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def test_unpivots_years_of_the_sector_in_the_region(campus):
    """Each year of a kept row becomes one figure per indicator; empty cells are no figure."""
    run = run_import("urssaf", URSSAF)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.skipped) == (5, 2)
    assert run.skipped_reasons == {
        "hors des départements du campus": 1,
        "activité hors de la filière": 1,
    }
    assert figures() == {
        ("establishments", "15.12Z", "21425", 2020): Decimal("1"),
        ("salaried_headcount", "15.12Z", "21425", 2020): Decimal("35"),
        ("establishments", "15.12Z", "21425", 2021): Decimal("2"),
        ("salaried_headcount", "15.12Z", "21425", 2021): Decimal("41"),
        ("establishments", "15.12Z", "21425", 2022): Decimal("2"),
        ("salaried_headcount", "15.12Z", "21425", 2022): Decimal("48"),
        ("establishments", "15.12Z", "21231", 2022): Decimal("1"),
        ("establishments", "14.11Z", "25056", 2021): Decimal("1"),
        ("salaried_headcount", "14.11Z", "25056", 2021): Decimal("4"),
        ("establishments", "14.11Z", "25056", 2022): Decimal("1"),
        ("salaried_headcount", "14.11Z", "25056", 2022): Decimal("5"),
    }
    assert run.created == 11
    indicator = Indicator.objects.get(year=2020, key="establishments")
    assert indicator.source_licence == "Licence Ouverte 2.0"
    assert indicator.source.startswith("Urssaf")
    assert run.summary["rows"][-1] == [2022, "4", "53"]


def test_second_import_changes_nothing(campus):
    """Importing the same file twice creates and updates nothing the second time."""
    run_import("urssaf", URSSAF)
    run = run_import("urssaf", URSSAF)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 11)


def test_technical_names_and_shuffled_columns(campus, tmp_path):
    """The API's technical header names, in another order, give the same figures."""
    lines = fixture_text().splitlines()
    header = lines[0].split(";")
    renamed = [
        name.replace("Nombre d'établissements ", "nombre_d_etablissements_")
        .replace("Effectifs salariés ", "effectifs_salaries_")
        .replace("Code commune", "code_commune")
        .replace("Code APE", "code_ape")
        for name in header
    ]
    order = list(reversed(range(len(header))))
    rows = [renamed] + [
        next(__import__("csv").reader([line], delimiter=";")) for line in lines[1:]
    ]
    text = "\n".join(";".join(_quote(row[i]) for i in order) for row in rows) + "\n"
    run = run_import("urssaf", write_variant(tmp_path, text))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 11


def _quote(value):
    return f'"{value}"' if ";" in value else value


def test_duplicate_row_is_skipped(campus, tmp_path):
    """A row repeated for the same commune and APE code is counted once."""
    lines = fixture_text().splitlines()
    run = run_import(
        "urssaf", write_variant(tmp_path, "\n".join([*lines, lines[1]]) + "\n")
    )
    assert run.created == 11
    assert run.skipped_reasons["ligne en double (même commune et même APE)"] == 1
    assert [7, "ligne en double (même commune et même APE)"] in run.skipped_examples


def test_non_numeric_headcount_rejects_the_file(campus, tmp_path):
    """A non-numeric headcount names its line and column, and nothing is written."""
    lines = fixture_text().splitlines()
    lines[1] = lines[1].replace(";35;", ";secret;", 1)
    run = run_import("urssaf", write_variant(tmp_path, "\n".join(lines) + "\n"))
    assert run.status == ImportStatus.FAILED
    assert run.error == (
        "ligne 2, colonne « Effectifs salariés 2020 » : "
        "« secret » n'est pas un nombre positif."
    )
    assert Indicator.objects.count() == 0


def test_truncated_inside_quotes_is_rejected(campus, tmp_path):
    """A file cut inside a quoted value is rejected, naming the line."""
    text = fixture_text()
    cut = text[: text.index("Métropole; secteur") + 5]
    run = run_import("urssaf", write_variant(tmp_path, cut))
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("ligne 6 : guillemet jamais fermé")
    assert Indicator.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["StockEtablissement_utf8.csv", "communes-france-2024.csv"]
)
def test_wrong_file_is_rejected(campus, name):
    """A Sirene or communes file given to the Urssaf importer is refused clearly."""
    run = run_import("urssaf", fixture_path(name))
    assert run.status == ImportStatus.FAILED
    assert "n'est pas un fichier Urssaf" in run.error


def test_dry_run_writes_nothing(campus):
    """A dry run counts the figures and writes none."""
    run = run_import("urssaf", URSSAF, dry_run=True)
    assert run.created == 11 and Indicator.objects.count() == 0


def test_archive_must_hold_exactly_one_csv(campus, tmp_path):
    """A ZIP archive with two CSV files is refused: which one to import is unclear."""
    archive = tmp_path / "urssaf.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(URSSAF, "a.csv")
        bundle.write(URSSAF, "b.csv")
    run = run_import("urssaf", archive)
    assert run.status == ImportStatus.FAILED
    assert (
        run.error == "l'archive doit contenir un seul fichier CSV (elle en contient 2)."
    )
