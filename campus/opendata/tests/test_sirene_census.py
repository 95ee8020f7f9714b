"""The observatory's company figures counted by the Sirene import, checked against
counts made here from the fixture file itself."""

import csv
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from campus.network.models import Organisation
from campus.observatory.models import Indicator, IndicatorKey
from campus.opendata.demo import SIRENE_SAMPLE, load_demo_open_data
from campus.opendata.importers import sirene
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.opendata.tests.test_sirene import rewrite
from campus.profiles.models import SectorProfile

STOCK = fixture_path("StockEtablissement_utf8_observatoire.csv")
SECTOR = {"15.11Z", "15.12Z", "14.11Z"}
DEPARTEMENTS = {"21", "25"}


def expected_from_file(path) -> dict[tuple, Decimal]:
    """Every figure, counted straight from the CSV with the documented rules."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream)]
    sector, seen = [], set()
    for row in rows:
        if (
            row["activitePrincipaleEtablissement"] in SECTOR
            and row["siret"] not in seen
        ):
            seen.add(row["siret"])
            sector.append(row)
    stock_year = max(int(r["dateDernierTraitementEtablissement"][:4]) for r in sector)
    counts = Counter()
    for row in sector:
        commune = row["codeCommuneEtablissement"]
        if not commune:
            continue
        places = [("france", "FR")]
        if commune[:2] in DEPARTEMENTS:
            places += [("commune", commune), ("departement", commune[:2])]
            places += [("region", "27")]
        naf = row["activitePrincipaleEtablissement"]
        facts = []
        created = row["dateCreationEtablissement"]
        if created and created != "1900-01-01" and int(created[:4]) <= stock_year:
            facts.append(("creations", "", int(created[:4])))
        if row["etatAdministratifEtablissement"] == "A":
            band = row["trancheEffectifsEtablissement"] or "NN"
            facts.append(("active_establishments", band, stock_year))
            if row["activitePrincipaleRegistreMetiersEtablissement"]:
                facts.append(("craft_establishments", "", stock_year))
        elif int(row["dateDebut"][:4]) <= stock_year:
            facts.append(("closures", "", int(row["dateDebut"][:4])))
        for key, breakdown, year in facts:
            for level, code in places:
                counts[key, naf, breakdown, level, code, year] += 1
    return {identity: Decimal(n) for identity, n in counts.items()}


def stored() -> dict[tuple, Decimal]:
    return {
        (i.key, i.naf_code, i.breakdown, i.territory_level, i.territory_code, i.year): (
            i.value
        )
        for i in Indicator.objects.filter(source=sirene.SOURCE)
    }


def total(key, level, code, year=None) -> Decimal:
    return sum(
        (
            value
            for (k, _, _, lvl, c, y), value in stored().items()
            if k == key and lvl == level and c == code and year in (None, y)
        ),
        Decimal(0),
    )


def test_the_import_stores_every_figure_of_the_stock(campus):
    """Active establishments by NAF and size band, craft ones, creations and
    closures, per commune, département, région and France, as counted from the file."""
    run = run_import("sirene", STOCK)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert stored() == expected_from_file(STOCK)
    assert "(stock 2025)" in run.summary["title"]


def test_hand_counted_totals(campus):
    """A few totals counted by hand from the fixture, whatever the rules' code."""
    run_import("sirene", STOCK)
    active = IndicatorKey.ACTIVE_ESTABLISHMENTS
    # Montbard ×3 (one created in 2026 included), Dijon, Besançon; Paris in France
    # only; the Geneva establishment nowhere.
    assert total(active, "region", "27", 2025) == 5
    assert total(active, "france", "FR", 2025) == 6
    assert total(active, "commune", "21425") == 3
    assert stored()[active, "15.12Z", "NN", "commune", "21425", 2025] == 2
    assert total(IndicatorKey.CRAFT_ESTABLISHMENTS, "region", "27") == 2
    # 1900-01-01 is no creation year, 2026 is after the stock's year.
    creations = IndicatorKey.CREATIONS
    assert total(creations, "region", "27") == 6
    assert total(creations, "region", "27", 2021) == 2
    assert total(creations, "france", "FR") == 8
    closures = IndicatorKey.CLOSURES
    assert total(closures, "region", "27") == 3
    assert total(closures, "france", "FR", 2023) == 1
    assert total(closures, "departement", "25", 2024) == 1


def test_the_same_stock_again_changes_nothing(campus):
    """A second import of the same stock leaves every indicator row as it was."""
    run_import("sirene", STOCK)
    before = list(Indicator.objects.order_by("pk").values())
    run_import("sirene", STOCK)
    assert list(Indicator.objects.order_by("pk").values()) == before


def _treated_in(year):
    def transform(rows):
        column = rows[0].index("dateDernierTraitementEtablissement")
        for row in rows[1:]:
            row[column] = f"{year}-01-31T09:00:00"
        return rows

    return transform


def test_a_newer_stock_adds_its_year_and_keeps_the_older_ones(campus, tmp_path):
    """The 2026 stock adds its active establishments beside 2025's; its creations
    replace the earlier counts, with the 2026 creation now counted."""
    run_import("sirene", STOCK)
    newer = rewrite(tmp_path, "2026.csv", _treated_in(2026), source=STOCK)
    run_import("sirene", newer)
    active = IndicatorKey.ACTIVE_ESTABLISHMENTS
    assert total(active, "region", "27", 2025) == 5
    assert total(active, "region", "27", 2026) == 5
    assert total(IndicatorKey.CREATIONS, "commune", "21425", 2026) == 1
    assert stored() == {**expected_from_file(STOCK), **expected_from_file(newer)}


def test_an_older_stock_keeps_the_newer_creations_and_closures(campus, tmp_path):
    """Importing the 2024 stock after 2025's adds 2024's snapshot only."""
    run_import("sirene", STOCK)
    events = {
        k: v
        for k, v in stored().items()
        if k[0] in (IndicatorKey.CREATIONS, IndicatorKey.CLOSURES)
    }
    older = rewrite(tmp_path, "2024.csv", _treated_in(2024), source=STOCK)
    run_import("sirene", older)
    assert total(IndicatorKey.ACTIVE_ESTABLISHMENTS, "region", "27", 2024) == 5
    assert {
        k: v
        for k, v in stored().items()
        if k[0] in (IndicatorKey.CREATIONS, IndicatorKey.CLOSURES)
    } == events


def test_a_closed_snapshot_row_disappears_from_its_year(campus, tmp_path):
    """When an establishment closes, the same year's snapshot loses it (no stale row)."""
    run_import("sirene", STOCK)

    def close_besancon(rows):
        state = rows[0].index("etatAdministratifEtablissement")
        for row in rows[1:]:
            if row[2] == "90000000600019":
                row[state] = "F"
        return rows

    run_import("sirene", rewrite(tmp_path, "closed.csv", close_besancon, source=STOCK))
    assert total(IndicatorKey.ACTIVE_ESTABLISHMENTS, "departement", "25") == 0
    assert total(IndicatorKey.CLOSURES, "departement", "25", 2024) == 2


def test_dry_run_stores_no_indicator(campus):
    run = run_import("sirene", STOCK, dry_run=True)
    assert run.status == ImportStatus.SUCCEEDED
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("trancheEffectifsEtablissement", "ZZ", "n'est pas une tranche d'effectif"),
        ("dateCreationEtablissement", "2024-13-45", "n'est pas une date"),
        ("dateDebut", "hier", "n'est pas une date"),
        ("dateDernierTraitementEtablissement", "x" * 300, "n'est pas une date"),
        ("codeCommuneEtablissement", "21<script>", "code de commune INSEE"),
        ("etatAdministratifEtablissement", "X", "état administratif"),
    ],
)
def test_a_hostile_value_rejects_the_file_and_writes_nothing(
    campus, tmp_path, column, value, message
):
    """A malformed value in a sector row names its line and column; nothing is written."""

    def spoil(rows):
        rows[3][rows[0].index(column)] = value
        return rows

    run = run_import("sirene", rewrite(tmp_path, "bad.csv", spoil, source=STOCK))
    assert run.status == ImportStatus.FAILED
    assert "ligne 4" in run.error and message in run.error
    assert column in run.error
    assert not Indicator.objects.exists()
    assert not Organisation.objects.exists()


def test_rows_outside_the_sector_are_not_checked_nor_counted(campus, tmp_path):
    """A strange size band outside the sector's codes is not the observatory's business."""

    def spoil(rows):
        band = rows[0].index("trancheEffectifsEtablissement")
        for row in rows[1:]:
            if row[2] == "90000000900011":
                row[band] = "ZZ"
        return rows

    run = run_import("sirene", rewrite(tmp_path, "other.csv", spoil, source=STOCK))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert stored() == expected_from_file(STOCK)


def test_the_stock_year_is_the_newest_treatment_date(campus):
    run_import("sirene", STOCK)
    years = set(
        Indicator.objects.filter(key=IndicatorKey.ACTIVE_ESTABLISHMENTS).values_list(
            "year", flat=True
        )
    )
    assert years == {date(2025, 6, 30).year}


def test_companies_keep_their_naf_code_and_size_band(campus):
    """The directory's companies carry what the observatory's links filter on."""
    run_import("sirene", STOCK)
    companies = {o.siret: (o.naf_code, o.size_band) for o in Organisation.objects.all()}
    assert companies["90000000100011"] == ("15.12Z", "11")
    assert companies["90000000200019"] == ("15.12Z", "NN")
    assert companies["90000000600019"] == ("14.11Z", "02")


def test_the_demo_sample_gives_its_real_rows_to_france(campus):
    """The shipped real sample, imported for the demo, counts its sector rows under
    France (none is in the campus's départements), once however often it loads."""
    SectorProfile.objects.update(naf_codes="15.12Z, 32.12Z")
    load_demo_open_data([(ImportSource.SIRENE, SIRENE_SAMPLE)])
    load_demo_open_data([(ImportSource.SIRENE, SIRENE_SAMPLE)])
    with SIRENE_SAMPLE.open(encoding="utf-8", newline="") as stream:
        rows = [
            r
            for r in csv.DictReader(stream)
            if r["activitePrincipaleEtablissement"] in {"15.12Z", "32.12Z"}
        ]
    active = Counter(
        r["codeCommuneEtablissement"][:2]
        for r in rows
        if r["etatAdministratifEtablissement"] == "A"
    )
    closures = Counter(
        int(r["dateDebut"][:4])
        for r in rows
        if r["etatAdministratifEtablissement"] == "F"
    )
    assert total(IndicatorKey.ACTIVE_ESTABLISHMENTS, "france", "FR", 2024) == sum(
        active.values()
    )
    for year, number in closures.items():
        assert total(IndicatorKey.CLOSURES, "france", "FR", year) == number
    assert not Indicator.objects.exclude(territory_level="france").exists()
    assert ImportRun.objects.filter(file_name=SIRENE_SAMPLE.name).count() == 1
