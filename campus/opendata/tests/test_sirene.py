import csv
import io
import random
import time

import pytest

from campus.network.models import Organisation
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.importers.base import RecordScanner, naf_pattern
from campus.opendata.models import ImportStatus
from campus.opendata.progress import read_progress
from campus.opendata.services import create_run, run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile

STOCK = fixture_path("StockEtablissement_utf8.csv")


def rewrite(tmp_path, name, transform, *, source=STOCK, encoding="utf-8"):
    """A copy of a fixture whose rows (header first) went through `transform`."""
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(transform(rows))
    return path


def test_imports_active_sector_establishments_of_the_region(campus):
    """Active rows of the sector's NAF codes in the campus's départements become companies."""
    run = run_import("sirene", STOCK)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.updated, run.skipped) == (8, 3, 0, 5)
    assert run.skipped_reasons == {
        "établissement fermé": 1,
        "hors des départements du campus": 1,
        "ligne en double (même SIRET)": 1,
        "activité hors de la filière": 2,
    }
    assert [4, "établissement fermé"] in run.skipped_examples
    assert run.summary["rows"] == [["14.11Z", 1], ["15.12Z", 2]]
    montbard = Organisation.objects.get(siret="81234567800014")
    assert montbard.name == "MAROQUINERIE DE MONTBARD"
    assert montbard.kind == "company" and montbard.is_published and not montbard.is_demo
    assert montbard.address == "12 RUE DES TANNEURS, BATIMENT B"
    assert montbard.commune.insee_code == "21425"
    assert montbard.latitude == pytest.approx(47.6234, abs=1e-4)
    assert montbard.longitude == pytest.approx(4.3389, abs=1e-4)
    assert (montbard.source, montbard.source_licence) == (
        "INSEE, base Sirene",
        "Licence Ouverte 2.0",
    )
    assert montbard.history.count() == 1
    assert montbard.slug == "maroquinerie-de-montbard-81234567800014"
    assert montbard.search_text == "maroquinerie de montbard entreprise montbard"
    assert montbard.created_at == montbard.history.get().history_date


def test_partial_diffusion_keeps_what_is_published(campus):
    """A unit in partial diffusion ([ND]) gets its commune's coordinates and no address."""
    run_import("sirene", STOCK)
    dijon = Organisation.objects.get(siret="82345678900027")
    assert (dijon.address, dijon.postal_code) == ("", "21000")
    assert (dijon.latitude, dijon.longitude) == (47.3214, 5.0415)
    assert dijon.name == "Établissement 82345678900027"
    besancon = Organisation.objects.get(siret="86789012300012")
    assert besancon.name == "SELLERIE DU DOUBS"
    assert (besancon.latitude, besancon.longitude) == (47.2488, 6.0182)


def test_names_come_from_the_legal_units_file(campus):
    """With StockUniteLegale, a company takes its legal name, a sole trader first name and name."""
    run = run_import(
        "sirene", STOCK, unites_legales=fixture_path("StockUniteLegale_utf8.csv")
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 3
    names = dict(Organisation.objects.values_list("siret", "name"))
    assert names["81234567800014"] == "MAROQUINERIE BOURGUIGNONNE, SAS"
    assert names["86789012300012"] == "CLAIRE MARTIN"


def test_reads_the_2019_geo_sirene_layout(campus):
    """The 2019 géo-SIRENE layout (longitude and latitude columns) imports the same companies."""
    run = run_import("sirene", fixture_path("geo-sirene_etablissements_2019.csv"))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 3
    montbard = Organisation.objects.get(siret="81234567800014")
    assert (montbard.latitude, montbard.longitude) == (47.6234, 4.3389)


def test_reads_the_real_2024_stock(campus):
    """Real rows of the 2024 stock (53 columns, no NAF 2025 column) are read by name."""
    SectorProfile.objects.update(naf_codes="15.12Z, 32.12Z")
    run = run_import("sirene", fixture_path("StockEtablissement_utf8_2024-03.csv"))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (7, 0, 7)
    assert run.skipped_reasons == {
        "établissement fermé": 1,
        "hors des départements du campus": 1,
        "activité hors de la filière": 5,
    }


NAF25 = "activitePrincipaleNAF25Etablissement"
LAMBERT_AND_BAN = [
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
]


@pytest.mark.parametrize(
    ("dropped", "width"),
    [([NAF25], 53), ([NAF25, *LAMBERT_AND_BAN], 48)],
    ids=["2024-53-columns", "2019-48-columns"],
)
def test_reads_the_earlier_layouts(campus, tmp_path, dropped, width):
    """Without the NAF 2025 column, or the 48 columns of 2019, the same companies come in."""

    def drop(rows):
        kept = [i for i, name in enumerate(rows[0]) if name not in dropped]
        return [[row[i] for i in kept] for row in rows]

    path = rewrite(tmp_path, "earlier.csv", drop)
    assert path.read_text().split("\n")[0].count(",") == width - 1
    run = run_import("sirene", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.skipped) == (3, 5)
    montbard = Organisation.objects.get(siret="81234567800014")
    assert montbard.address == "12 RUE DES TANNEURS, BATIMENT B"
    if "coordonneeLambertAbscisseEtablissement" in dropped:
        # Without coordinates, the commune's stand in.
        commune = montbard.commune
        assert (montbard.latitude, montbard.longitude) == (
            commune.latitude,
            commune.longitude,
        )


def test_column_order_bom_and_crlf_do_not_matter(campus, tmp_path):
    """Shuffled columns, a BOM and CRLF line ends give the same import."""
    order = list(range(54))
    random.Random(4).shuffle(order)

    def shuffle(rows):
        return [[row[i] for i in order] for row in rows]

    path = rewrite(tmp_path, "shuffled.csv", shuffle, encoding="utf-8-sig")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    run = run_import("sirene", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.skipped) == (3, 5)
    assert Organisation.objects.get(siret="81234567800014").address == (
        "12 RUE DES TANNEURS, BATIMENT B"
    )


def test_second_import_changes_nothing(campus):
    """Importing the same file twice creates and updates nothing the second time."""
    run_import("sirene", STOCK)
    run = run_import("sirene", STOCK)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)
    assert Organisation.objects.count() == 3


def test_changed_row_updates_the_company(campus, tmp_path):
    """A company whose published address changed is updated, with its history."""
    run_import("sirene", STOCK)

    def move(rows):
        column = rows[0].index("numeroVoieEtablissement")
        rows[1][column] = "14"
        return rows

    run = run_import("sirene", rewrite(tmp_path, "moved.csv", move))
    assert (run.created, run.updated, run.unchanged) == (0, 1, 2)
    montbard = Organisation.objects.get(siret="81234567800014")
    assert montbard.address.startswith("14 RUE")
    assert montbard.history.count() == 2


def test_company_that_closed_is_withdrawn_from_the_directory(campus, tmp_path):
    """When Sirene reports an imported company closed, its listing is unpublished."""
    run_import("sirene", STOCK)

    def close(rows):
        rows[1][rows[0].index("etatAdministratifEtablissement")] = "F"
        return rows[:7]

    closed = rewrite(tmp_path, "closed.csv", close)
    run = run_import("sirene", closed)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 2)
    montbard = Organisation.objects.get(siret="81234567800014")
    assert not montbard.is_published
    assert montbard.history.first().history_change_reason == (
        "Import de la base Sirene : établissement fermé"
    )
    again = run_import("sirene", closed)
    assert (again.updated, again.skipped_reasons["établissement fermé"]) == (0, 2)


def test_company_typed_by_the_campus_is_left_alone(campus):
    """An organisation with the same SIRET that was not imported keeps its own data."""
    OrganisationFactory(name="Atelier saisi à la main", siret="81234567800014")
    run = run_import("sirene", STOCK)
    assert run.created == 2
    assert Organisation.objects.get(siret="81234567800014").name == (
        "Atelier saisi à la main"
    )
    assert "déjà dans l'annuaire, saisie par le campus ou un partenaire" in (
        run.skipped_reasons
    )


def test_dry_run_writes_nothing(campus):
    """A dry run reports what it would do and leaves the database as it was."""
    run = run_import("sirene", STOCK, dry_run=True)
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 3)
    assert Organisation.objects.count() == 0


def test_one_bad_row_rejects_the_file(campus, tmp_path):
    """A non-numeric Lambert coordinate rejects the file, names line and column, writes nothing."""

    def spoil(rows):
        column = rows[0].index("coordonneeLambertAbscisseEtablissement")
        rows[6][column] = "huit cent mille"
        return rows

    run = run_import("sirene", rewrite(tmp_path, "bad.csv", spoil))
    assert run.status == ImportStatus.FAILED
    assert run.error == (
        "ligne 7, colonne « coordonneeLambertAbscisseEtablissement » : "
        "« huit cent mille » n'est pas une coordonnée."
    )
    assert run.created == 0 and Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (b",21425,,,,,,8005", "ligne 9 : 29 valeurs au lieu de 54"),
        (b'"DES TANNEURS, BAT', "ligne 8 : guillemet jamais fermé"),
    ],
)
def test_truncated_file_is_rejected(campus, tmp_path, cut, message):
    """A file cut in the middle of a line or of a quoted value is rejected, nothing written."""
    content = STOCK.read_bytes()
    path = tmp_path / "truncated.csv"
    path.write_bytes(content[: content.rindex(cut) + len(cut)])
    run = run_import("sirene", path)
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith(message)
    assert Organisation.objects.count() == 0


def test_wrong_file_is_rejected_with_a_clear_message(campus):
    """An Urssaf file given to the Sirene importer is refused, naming the missing columns."""
    run = run_import("sirene", fixture_path("urssaf-commune-ape.csv"))
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith(
        "ligne 1 : ce fichier n'est pas un fichier « StockEtablissement » de la base "
        "Sirene : colonnes manquantes siret"
    )


def test_sector_profile_without_naf_codes_is_an_error(campus):
    """Without NAF codes in the sector profile, nothing can be selected: the import fails."""
    SectorProfile.objects.update(naf_codes="")
    run = run_import("sirene", STOCK)
    assert run.status == ImportStatus.FAILED
    assert "aucun code NAF" in run.error


def test_scanner_keeps_quoted_line_breaks_and_counts_every_record():
    """Small blocks, a line break inside quotes and a last line without newline stay whole."""
    content = (
        b"a,b,c\n"
        + b"1,x,15.12Z\n" * 5
        + b'2,"deux\nlignes",15.12Z\n'
        + b"3,y,47.11B\n" * 5
        + b"4,z,15.12Z"
    )
    scanner = RecordScanner(
        io.BytesIO(content[6:]),
        naf_pattern(["15.12Z"]),
        first_line=2,
        on_bytes=lambda count: None,
        block_size=16,
    )
    rows = list(scanner)
    assert (7, ["2", "deux\nlignes", "15.12Z"]) in rows
    assert rows[-1] == (14, ["4", "z", "15.12Z"])
    assert len(rows) == 7
    assert scanner.records == 12


@pytest.mark.parametrize("seed", range(100))
def test_scanner_finds_every_matching_record_whatever_the_block_size(seed):
    """Against the csv module: each record holding a needle comes once, whole, with its line."""
    rng = random.Random(seed)
    values = ["15.12Z", "47.11B", "x", "", '"a,b"', '"deux\nlignes"', '"dit ""cuir"""']
    newline = rng.choice(["\n", "\r\n"])
    records = [
        ",".join(rng.choice(values) for _ in range(3))
        for _ in range(rng.randrange(1, 60))
    ]
    content = newline.join(records) + rng.choice(["", newline])
    reference, line = [], 2
    for text in records:
        reference.append((line, next(csv.reader([text])), "15.12Z" in text))
        line += text.count("\n") + 1
    scanner = RecordScanner(
        io.BytesIO(content.encode()),
        naf_pattern(["15.12Z"]),
        first_line=2,
        on_bytes=lambda count: None,
        block_size=rng.randrange(1, 80),
    )
    found = list(scanner)
    every_record = [(line, row) for line, row, _ in reference]
    expected = [(line, row) for line, row, matches in reference if matches]
    assert [item for item in found if item in expected] == expected
    assert all(item in every_record for item in found)
    assert len({repr(item) for item in found}) == len(found)
    assert scanner.records == len(records)


def test_progress_is_readable_while_the_import_runs(campus):
    """While the import works, its progress is published where the run page reads it."""
    run = create_run("sirene", file_name=STOCK.name)
    seen = []

    def on_progress(done, total):
        seen.append((done, total, read_progress(run.pk)))

    run_import("sirene", STOCK, run=run, progress=on_progress)
    size = STOCK.stat().st_size
    assert seen[0][2] == {
        "done": 0,
        "total": size,
        "at": pytest.approx(time.time(), abs=60),
    }
    assert seen[-1][:2] == (size, size)
    assert read_progress(run.pk) is None


UNITS = fixture_path("StockUniteLegale_utf8.csv")


def test_with_names_each_file_is_read_once(campus):
    """The progress counts the establishments and the legal units once each."""
    seen = []
    run = run_import(
        "sirene",
        STOCK,
        unites_legales=UNITS,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    total = STOCK.stat().st_size + UNITS.stat().st_size
    assert {total_seen for _done, total_seen in seen} == {total}
    assert seen[-1] == (total, total)


def break_denomination(rows):
    rows[2][rows[0].index("denominationUniteLegale")] = "MAROQUINERIE\nBOURGUIGNONNE"
    return rows


@pytest.mark.parametrize(
    "transform",
    [
        break_denomination,
        lambda rows: [row[::-1] for row in break_denomination(rows)],
    ],
    ids=["published-order", "reversed-columns"],
)
def test_legal_unit_names_keep_quoted_line_breaks(campus, tmp_path, transform):
    """In any column order, a name with a quoted line break is read whole."""
    units = rewrite(tmp_path, "units.csv", transform, source=UNITS)
    run = run_import("sirene", STOCK, unites_legales=units)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert Organisation.objects.get(siret="81234567800014").name == (
        "MAROQUINERIE\nBOURGUIGNONNE"
    )
    assert Organisation.objects.get(siret="86789012300012").name == "CLAIRE MARTIN"


def test_truncated_legal_units_file_is_rejected(campus, tmp_path):
    """A legal units file cut inside quotes is refused and nothing is written."""
    content = UNITS.read_bytes()
    units = tmp_path / "units.csv"
    units.write_bytes(content[: content.index(b'"MAROQUINERIE') + 8])
    run = run_import("sirene", STOCK, unites_legales=units)
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("ligne 3 : « StockUniteLegale »")
    assert Organisation.objects.count() == 0


def test_naf_pattern_finds_exactly_the_sector_codes():
    """One pattern for every code of the profile: no neighbouring code slips in."""
    pattern = naf_pattern(["15.12Z", "25.99B", "32.12Z"])
    text = b"17.12Z,15.13Z,25.99A,1512Z,15.12Z,x,32.12Z,25.99B"
    assert [m.group(0) for m in pattern.finditer(text)] == [b".12Z", b".12Z", b".99B"]
    assert [text[m.start() - 2 : m.end()] for m in pattern.finditer(text)] == [
        b"15.12Z",
        b"32.12Z",
        b"25.99B",
    ]
    assert naf_pattern([]).search(text) is None
