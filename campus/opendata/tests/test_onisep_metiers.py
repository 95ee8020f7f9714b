import csv
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from campus.accounts.tests.factories import UserFactory
from campus.opendata.importers.onisep import label_to_key
from campus.opendata.importers.onisep_metiers import RENAMED
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile
from campus.trades.models import OnisepJob
from campus.trades.tests.factories import TradeFactory

LABELS = "onisep-metiers.csv"
FORMATS = [
    LABELS,
    "onisep-metiers_json-keys.csv",
    "onisep-metiers.json",
    "onisep-metiers.xml",
]
MODE_ET_LUXE = {
    "name": "Les métiers de la mode et du luxe",
    "collection": "Parcours",
    "year": 2019,
}
LINK = "https://www.onisep.fr/http/redirection/metier/slug/"
TEXTILE = "matières premières, fabrication, industries/textile - habillement"


@pytest.fixture
def sector(campus):
    profile = SectorProfile.load()
    profile.rome_codes = "B1802, H2411"
    profile.save()
    return profile


def fiches():
    return {
        job.onisep_id: (job.label, job.url, job.rome_codes, job.publications)
        for job in OnisepJob.objects.all()
    }


def snapshot():
    return list(OnisepJob.objects.order_by("pk").values())


def write(tmp_path, name, text, encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def labels_text():
    return fixture_path(LABELS).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name", FORMATS)
def test_sector_trades_become_fiches_with_their_publications(sector, name):
    """CSV labels, JSON-keys CSV, JSON and XML give one fiche per trade of the sector."""
    run = run_import("onisep_metiers", fixture_path(name))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (8, 4, 3)
    assert run.skipped_reasons == {
        "métier hors de la filière": 2,
        "métier sans code ROME": 1,
    }
    assert run.summary["rows"] == [[4, 1]]
    assert fiches() == {
        "MET.447": (
            "bottier / bottière",
            LINK + "MET.447",
            "B1802",
            [
                {"name": "Les études d'art", "collection": "Dossiers", "year": 2020},
                MODE_ET_LUXE,
            ],
        ),
        "MET.566": (
            "maroquinier / maroquinière",
            LINK + "MET.566",
            "B1802",
            [MODE_ET_LUXE],
        ),
        "MET.719": (
            "prototypiste en matériaux souples",
            LINK + "MET.719",
            "H2411",
            [MODE_ET_LUXE],
        ),
        "MET.98": ("sellier / sellière", LINK + "MET.98", "B1802", []),
    }
    sellier = OnisepJob.objects.get(onisep_id="MET.98")
    assert sellier.domains == ["mécanique/automobile", TEXTILE]
    assert sellier.rome_label == (
        "Réalisation d'articles en cuir et matériaux souples (hors vêtement)"
    )
    assert (sellier.source, sellier.source_licence) == ("ONISEP, Idéo", "ODbL")
    assert run.licence == "ODbL"


def test_rows_out_of_the_sector_are_reported_with_their_line(sector):
    """Each row left out is reported with its line and its reason."""
    run = run_import("onisep_metiers", fixture_path(LABELS))
    assert run.skipped_examples == [
        [2, "métier hors de la filière"],
        [3, "métier sans code ROME"],
        [9, "métier hors de la filière"],
    ]


def test_item_with_several_rome_codes_is_kept_when_one_is_of_the_sector(sector):
    """Codes separated by `|`: one of the sector's keeps the item, with all its codes."""
    run = run_import("onisep_metiers", fixture_path("onisep-metiers_several-rome.xml"))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (2, 1, 1)
    assert run.skipped_examples == [[1, "métier hors de la filière"]]
    piqueur = OnisepJob.objects.get()
    assert (piqueur.onisep_id, piqueur.rome_codes) == ("MET.8108", "H2401, B1802")
    assert list(OnisepJob.objects.for_rome_codes(["B1802"])) == [piqueur]
    assert list(OnisepJob.objects.for_rome_codes(["H2401"])) == [piqueur]
    assert not OnisepJob.objects.for_rome_codes(["H2411"]).exists()


def test_rows_of_one_trade_are_merged_into_one_fiche(sector, tmp_path):
    """A trade in several publications, or listed twice, is one fiche, each book once."""
    lines = labels_text().splitlines()
    bottier = [line for line in lines if "MET.447" in line]
    path = write(tmp_path, "double.csv", "\n".join([lines[0], *bottier, *bottier]))
    run = run_import("onisep_metiers", path)
    assert (run.rows_read, run.created, run.summary["rows"]) == (4, 1, [[1, 3]])
    job = OnisepJob.objects.get()
    assert [p["name"] for p in job.publications] == [
        "Les études d'art",
        "Les métiers de la mode et du luxe",
    ]
    assert job.domains == [TEXTILE]


@pytest.mark.parametrize("name", [LABELS, FORMATS[1]])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_or_without_bom(sector, tmp_path, name, bom):
    """Both CSV variants are read the same with or without a byte order mark."""
    text = fixture_path(name).read_text(encoding="utf-8-sig")
    path = write(tmp_path, name, text, "utf-8-sig" if bom else "utf-8")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == bom
    run = run_import("onisep_metiers", path)
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4), run.error


@pytest.mark.parametrize(
    ("name", "change"),
    [
        (LABELS, ('"code ROME"', '"code ROME (V.3)"')),
        (LABELS, ('"lien site onisep.fr"', '"lien site onisepfr"')),
        (FORMATS[1], ("domainesous-domaine", "domaine_sous_domaine")),
        (FORMATS[2], ('"code_rome"', '"codeRome"')),
    ],
)
def test_header_variants_are_read_by_name(sector, tmp_path, name, change):
    """The labels and keys of the other years' downloads are mapped to the same fields."""
    text = fixture_path(name).read_text(encoding="utf-8-sig")
    assert change[0] in text
    path = write(tmp_path, name, text.replace(*change), "utf-8")
    run = run_import("onisep_metiers", path)
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4), run.error
    assert OnisepJob.objects.get(onisep_id="MET.98").domains[1] == TEXTILE


def test_every_label_variant_has_its_key():
    """The labels of the 2022 and 2025 CSV headers all land on a mapped key."""
    for label in ["lien site onisep.fr", "domaine/sous-domaine", "code ROME (V.3)"]:
        assert label_to_key(label) in RENAMED


def test_columns_are_found_by_name_in_any_order(sector, tmp_path):
    """Reversed columns are read by their label, not their position."""
    rows = list(csv.reader(io.StringIO(labels_text()), delimiter=";"))
    output = io.StringIO()
    csv.writer(output, delimiter=";", lineterminator="\n").writerows(
        list(reversed(row)) for row in rows
    )
    run = run_import("onisep_metiers", write(tmp_path, "envers.csv", output.getvalue()))
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4), run.error
    assert fiches()["MET.566"][0] == "maroquinier / maroquinière"


def test_second_import_changes_nothing_and_a_new_book_updates(sector, tmp_path):
    """The same file twice changes nothing; a new publication updates its fiche."""
    run_import("onisep_metiers", fixture_path(LABELS))
    run = run_import("onisep_metiers", fixture_path(LABELS))
    assert (run.created, run.updated, run.unchanged) == (0, 0, 4)
    run = run_import("onisep_metiers", fixture_path(FORMATS[3]))
    assert (run.created, run.updated, run.unchanged) == (0, 0, 4)
    lines = labels_text().splitlines()
    new_book = lines[4].replace(
        '"Les métiers de la mode et du luxe";Parcours;2019',
        "\"Les métiers de l'artisanat d'art\";Parcours;2023",
    )
    path = write(tmp_path, "nouveau.csv", "\n".join([*lines, new_book]) + "\n")
    run = run_import("onisep_metiers", path)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 3)
    assert [p["year"] for p in fiches()["MET.566"][3]] == [2023, 2019]


def test_dry_run_writes_nothing(sector):
    """A dry run counts what it would create and writes nothing."""
    run = run_import("onisep_metiers", fixture_path(LABELS), dry_run=True)
    assert run.created == 4
    assert not OnisepJob.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((";B1802;", ";B18O2;"), "ligne 4, colonne « code_rome »"),
        (("\nstyliste;", "\n;"), "ligne 9, colonne « libelle_metier »"),
        (("slug/MET.566", "slug/"), "ligne 5, colonne « lien_site_onisepfr »"),
        (
            (
                "http://www.onisep.fr/http/redirection/metier/slug/MET.719",
                "http://exemple.fr/MET.719",
            ),
            "ligne 6, colonne « lien_site_onisepfr »",
        ),
        ((";2015;", ";deux mille quinze;"), "ligne 2, colonne « annee »"),
    ],
)
def test_one_bad_row_rejects_the_file_naming_line_and_column(
    sector, tmp_path, change, message
):
    """A malformed value fails the run, names its line and column, and writes nothing."""
    run_import("onisep_metiers", fixture_path(FORMATS[3]))
    before = snapshot()
    text = labels_text()
    assert change[0] in text
    path = write(tmp_path, "faux.csv", text.replace(*change, 1))
    run = run_import("onisep_metiers", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert (run.created, run.updated, run.unchanged, run.skipped) == (0, 0, 0, 0)
    assert snapshot() == before


def test_bad_row_in_an_empty_database_writes_nothing(sector, tmp_path):
    """A bad last row fails the file although the rows before it were good."""
    text = labels_text().replace(";B1805;", ";1805;")
    run = run_import("onisep_metiers", write(tmp_path, "faux.csv", text))
    assert "ligne 9, colonne « code_rome »" in run.error
    assert not OnisepJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "cut"),
    [(LABELS, 0.6), (FORMATS[1], 0.55), (FORMATS[2], 0.5), (FORMATS[3], 0.5)],
)
def test_truncated_files_are_rejected(sector, tmp_path, name, cut):
    """A file cut in the middle fails with nothing written, whatever its format."""
    data = fixture_path(name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * cut)])
    run = run_import("onisep_metiers", path)
    assert run.status == ImportStatus.FAILED
    assert "tronqué" in run.error
    assert not OnisepJob.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "onisep-formations.csv",
        "onisep-structures-secondaire.xml",
        "communes-france-2024.csv",
    ],
)
def test_another_dataset_is_refused_in_french(sector, name):
    """Another ONISEP dataset, or another file, is refused by its missing fields."""
    run = run_import("onisep_metiers", fixture_path(name))
    assert run.status == ImportStatus.FAILED
    assert "ligne 1 : ce fichier n'est pas un fichier ONISEP « Idéo-Métiers »" in (
        run.error
    )
    assert "champs manquants" in run.error


def test_empty_file_and_sector_without_rome_codes_are_refused(sector, tmp_path):
    """An empty file, or a sector profile without ROME codes, is refused with a reason."""
    assert (
        "vide"
        in run_import("onisep_metiers", write(tmp_path, "v.csv", "", "utf-8")).error
    )
    sector.rome_codes = ""
    sector.save()
    run = run_import("onisep_metiers", fixture_path(LABELS))
    assert "aucun code ROME" in run.error


def test_command_imports_and_prints_the_report(sector):
    """`import_data onisep_metiers FILE` imports and prints the counts and reasons."""
    out = StringIO()
    call_command(
        "import_data",
        "onisep_metiers",
        str(fixture_path(LABELS)),
        "--no-progress",
        stdout=out,
    )
    assert "8 lignes lues, 4 créés, 0 mis à jour, 0 inchangés, 3 ignorés." in (
        out.getvalue()
    )
    assert "ignorés — métier hors de la filière : 2" in out.getvalue()
    with pytest.raises(CommandError, match="ligne 1 : ce fichier n'est pas"):
        call_command(
            "import_data",
            "onisep_metiers",
            str(fixture_path("onisep-formations.csv")),
            "--no-progress",
        )


def test_team_uploads_the_file_in_the_back_office(
    client, sector, run_tasks, django_capture_on_commit_callbacks
):
    """The campus team uploads the CSV at /gestion/imports/ and the worker imports it."""
    client.force_login(UserFactory(campus_team=True))
    assert "Métiers, Idéo (ONISEP)" in client.get("/gestion/imports/").text
    upload = SimpleUploadedFile(
        "5fa5949243f97.csv", fixture_path(LABELS).read_bytes(), "text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/gestion/imports/deposer/", {"source": "onisep_metiers", "file": upload}
        )
    run_tasks()
    run = ImportRun.objects.get()
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4), run.error
    assert "Fiches métiers de la filière" in client.get(run.get_absolute_url()).text


def test_trade_page_shows_its_fiches_and_the_odbl_attribution(sector, client):
    """A trade's page links to the ONISEP fiches of its ROME codes, with the licence."""
    trade = TradeFactory(name="Maroquinier", rome_codes="B1802")
    run_import("onisep_metiers", fixture_path(LABELS))
    page = client.get(trade.get_absolute_url()).content.decode()
    assert f'href="{LINK}MET.566"' in page
    assert "Maroquinier / maroquinière" in page and "Sellier / sellière" in page
    assert "Les études d&#x27;art (Dossiers, 2020)" in page
    assert "rototypiste" not in page
    assert "Source : ONISEP, Idéo — licence ODbL" in page


def test_unpublished_trade_stays_hidden_from_visitors(sector, client):
    """An anonymous visitor gets a 404 for an unpublished trade, fiches or not."""
    trade = TradeFactory(rome_codes="B1802", unpublished=True)
    run_import("onisep_metiers", fixture_path(LABELS))
    assert client.get(trade.get_absolute_url()).status_code == 404
