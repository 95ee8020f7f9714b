import shutil
import zipfile

import pytest

from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile
from campus.trades.models import Appellation, RomeJob, Trade
from campus.trades.tests.factories import TradeFactory

ZIP = fixture_path("rome/RefRomeCsv.zip")
FICHES = fixture_path("rome/unix_referentiel_code_rome_v460_utf8.csv")


@pytest.fixture
def sector(campus):
    profile = SectorProfile.load()
    profile.rome_codes = "B1802, H2411"
    profile.save()
    return profile


@pytest.mark.parametrize("path", [ZIP, FICHES])
def test_sector_fiches_become_rome_jobs_with_texts_and_titles(sector, path):
    """The sector's fiches are kept with their definition, access text and job titles."""
    run = run_import("rome", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (3, 2, 1)
    assert run.skipped_reasons == {"fiche hors de la filière": 1}
    job = RomeJob.objects.get(code="B1802")
    assert job.label == "Maroquinier / Maroquinière"
    assert job.definition.splitlines()[0].startswith("Le maroquinier conçoit")
    assert job.access.startswith("Cet emploi est accessible")
    assert list(job.appellations.values_list("label", "is_main")) == [
        ("Maroquinier / Maroquinière", True),
        ("Maroquinier / Maroquinière d'art", False),
    ]
    assert job.source_licence == "Licence Ouverte 2.0"


def test_codes_without_a_trade_get_one(sector):
    """A sector code that no trade covers yet becomes a trade; covered codes do not."""
    TradeFactory(name="Maroquinier", rome_codes="B1802")
    run = run_import("rome", ZIP)
    assert run.summary["rows"] == [[1]]
    assert set(Trade.objects.values_list("rome_codes", flat=True)) == {"B1802", "H2411"}
    created = Trade.objects.get(rome_codes="H2411")
    assert created.description.startswith("Réalise les prototypes d'articles")


def test_second_import_changes_nothing(sector):
    """Importing the same referential twice creates and updates nothing."""
    run_import("rome", ZIP)
    run = run_import("rome", ZIP)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)
    assert Appellation.objects.count() == 3
    assert Trade.objects.count() == 2


def copy_tables(tmp_path, change=None):
    for source in fixture_path("rome").glob("unix_*.csv"):
        text = source.read_text(encoding="utf-8")
        if change and change[0] in source.name:
            text = text.replace(change[1], change[2], 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    return tmp_path / FICHES.name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("code_rome", '"B1802","42"', '"B18O2","42"'),
            "ligne 3, colonne « code_rome »",
        ),
        (
            ("texte", '"definition","2"', '"definition","deux"'),
            "colonne « position_phrase »",
        ),
        (("appellation", '"12346"', '"12x46"'), "colonne « code_ogr »"),
        (("texte", '"B1802","4"', '"B1802,"4"'), "fichier tronqué"),
    ],
)
def test_malformed_tables_write_nothing(sector, tmp_path, change, message):
    """A malformed value in any table fails the run, names where, and writes nothing."""
    run = run_import("rome", copy_tables(tmp_path, change))
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert not RomeJob.objects.exists() and not Trade.objects.exists()


def test_truncated_zip_and_other_files_are_refused(sector, tmp_path):
    """A cut zip, a file of another referential, or an empty file are refused."""
    cut = tmp_path / "RefRomeCsv.zip"
    cut.write_bytes(ZIP.read_bytes()[:300])
    assert "zip illisible" in run_import("rome", cut).error
    other = tmp_path / "unix_texte_v460_utf8.csv"
    shutil.copy(fixture_path("rome/unix_texte_v460_utf8.csv"), other)
    assert "donnez le zip RefRomeCsv" in run_import("rome", other).error
    empty = tmp_path / "vide.zip"
    empty.write_bytes(b"")
    assert "vide" in run_import("rome", empty).error


def test_zip_without_the_fiches_table_is_refused(sector, tmp_path):
    """A zip that lacks the fiches table is refused with the table named."""
    path = tmp_path / "RefRomeCsv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("unix_texte_v460_utf8.csv", "x")
    run = run_import("rome", path)
    assert "unix_referentiel_code_rome absente" in run.error


def test_trade_page_shows_the_imported_titles(sector, client):
    """A trade's page shows the ROME label and job titles once imported."""
    trade = TradeFactory(name="Maroquinier", rome_codes="B1802")
    run_import("rome", ZIP)
    page = client.get(trade.get_absolute_url()).content.decode()
    assert "Maroquinier / Maroquinière d&#x27;art" in page
