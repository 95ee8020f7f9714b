import csv
import re
import zipfile
from collections import defaultdict
from decimal import Decimal

import pytest

from campus.observatory.models import ActivityLabel, Indicator
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path

URSSAF = fixture_path("urssaf-commune-ape.csv")


def figures(level="commune"):
    """The figures of each APE code (not the communes' totals of all the sector's
    codes, which test_emploi.py checks)."""
    return {
        (i.key, i.naf_code, i.territory_code, i.year): i.value
        for i in Indicator.objects.filter(territory_level=level).exclude(naf_code="")
    }


def expected_totals(path, naf_codes, departements, region):
    """Totals per level computed from the file with the csv module alone."""
    totals = defaultdict(Decimal)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream, delimiter=";"):
            naf = f"{row['Code APE'][:2]}.{row['Code APE'][2:]}"
            if naf not in naf_codes:
                continue
            departement = row["Code commune"][:2]
            for column, value in row.items():
                match = re.match(
                    r"(Nombre d'établissements|Effectifs salariés) (\d+)", column
                )
                if not match or not value:
                    continue
                key = (
                    "establishments"
                    if match.group(1).startswith("Nombre")
                    else "salaried_headcount"
                )
                year = int(match.group(2))
                totals[("france", key, naf, "FR", year)] += Decimal(value)
                if departement in departements:
                    totals[("departement", key, naf, departement, year)] += Decimal(
                        value
                    )
                    totals[("region", key, naf, region, year)] += Decimal(value)
    return dict(totals)


def stored_totals():
    return {
        (i.territory_level, i.key, i.naf_code, i.territory_code, i.year): i.value
        for i in Indicator.objects.exclude(territory_level="commune")
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
        "hors des départements du campus (comptée dans le total de la France)": 1,
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
    indicator = Indicator.objects.get(
        year=2020, key="establishments", territory_level="commune", naf_code="15.12Z"
    )
    assert indicator.source_licence == "Licence Ouverte 2.0"
    assert indicator.source.startswith("Urssaf")


def test_stores_the_totals_of_the_departements_the_region_and_france(campus):
    """France counts every row of the sector, any département; the région and its
    départements count the kept rows; each total is stored per APE code and year."""
    run = run_import("urssaf", URSSAF)
    expected = expected_totals(
        URSSAF, {"15.11Z", "15.12Z", "14.11Z"}, {"21", "25"}, campus.region.code
    )
    assert stored_totals() == expected
    # Rouen (76) is outside the campus yet in France's 2022 total: 2 + 1 + 3.
    assert expected[("france", "establishments", "15.12Z", "FR", 2022)] == 6
    assert expected[("region", "establishments", "15.12Z", "27", 2022)] == 3
    assert run.created == 11 + len(expected)
    assert run.summary["rows"][-1] == [2022, "4", "53", "7", "73"]


def test_keeps_the_label_of_each_code_of_the_sector(campus):
    """Each APE code of the sector keeps the label the file gives it, once."""
    run_import("urssaf", URSSAF)
    run_import("urssaf", URSSAF)
    assert {(a.naf_code, a.label) for a in ActivityLabel.objects.all()} == {
        ("15.12Z", "Fabrication d'articles de voyage, de maroquinerie et de sellerie"),
        ("14.11Z", "Fabrication de vêtements en cuir"),
    }


def test_second_import_changes_nothing(campus):
    """Importing the same file twice creates and updates nothing the second time."""
    first = run_import("urssaf", URSSAF)
    before = figures(), stored_totals()
    run = run_import("urssaf", URSSAF)
    assert (run.created, run.updated, run.unchanged) == (0, 0, first.created)
    assert (figures(), stored_totals()) == before


def test_a_new_year_is_added_and_the_old_ones_kept(campus, tmp_path):
    """A file of a later year adds its figures and totals and erases no older year."""
    run_import("urssaf", URSSAF)
    before = {**figures(), **stored_totals()}
    header = ";".join(
        [
            "Code commune",
            "Code APE",
            "Nombre d'établissements 2023",
            "Effectifs salariés 2023",
        ]
    )
    text = f"{header}\n21425;1512Z;3;50\n76540;1512Z;2;10\n"
    run = run_import("urssaf", write_variant(tmp_path, text))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    after = {**figures(), **stored_totals()}
    assert {k: v for k, v in after.items() if k not in before} == {
        ("establishments", "15.12Z", "21425", 2023): 3,
        ("salaried_headcount", "15.12Z", "21425", 2023): 50,
        ("departement", "establishments", "15.12Z", "21", 2023): 3,
        ("departement", "salaried_headcount", "15.12Z", "21", 2023): 50,
        ("region", "establishments", "15.12Z", "27", 2023): 3,
        ("region", "salaried_headcount", "15.12Z", "27", 2023): 50,
        ("france", "establishments", "15.12Z", "FR", 2023): 5,
        ("france", "salaried_headcount", "15.12Z", "FR", 2023): 60,
    }
    assert {k: after[k] for k in before} == before


def test_technical_names_and_shuffled_columns(campus, tmp_path):
    """The API's technical header names, in another order, give the same figures."""
    run_import("urssaf", URSSAF)
    reference = figures()
    Indicator.objects.all().delete()
    ActivityLabel.objects.all().delete()
    lines = fixture_text().splitlines()
    header = lines[0].split(";")
    renamed = [
        name.replace("Nombre d'établissements ", "nombre_d_etablissements_")
        .replace("Effectifs salariés ", "effectifs_salaries_")
        .replace("Code commune", "code_commune")
        .replace("Code APE", "code_ape")
        .replace("APE", "ape")
        for name in header
    ]
    order = list(reversed(range(len(header))))
    rows = [renamed] + [
        next(__import__("csv").reader([line], delimiter=";")) for line in lines[1:]
    ]
    text = "\n".join(";".join(_quote(row[i]) for i in order) for row in rows) + "\n"
    run = run_import("urssaf", write_variant(tmp_path, text))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert figures() == reference
    assert ActivityLabel.objects.count() == 2


def _quote(value):
    return f'"{value}"' if ";" in value else value


def test_duplicate_row_is_skipped(campus, tmp_path):
    """A row repeated for the same commune and APE code is counted once."""
    lines = fixture_text().splitlines()
    run = run_import(
        "urssaf", write_variant(tmp_path, "\n".join([*lines, lines[1]]) + "\n")
    )
    assert len(figures()) == 11
    assert stored_totals()[("france", "establishments", "15.12Z", "FR", 2022)] == 6
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
    assert run.created > 11
    assert Indicator.objects.count() == 0 and ActivityLabel.objects.count() == 0


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
