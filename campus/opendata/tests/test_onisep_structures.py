import pytest

from campus.network.models import Organisation
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.importers.onisep import label_to_key, onisep_id, split_values
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path

FORMATS = [
    "onisep-structures-secondaire.csv",
    "onisep-structures-secondaire_json-keys.csv",
    "onisep-structures-secondaire.json",
    "onisep-structures-secondaire.xml",
]


@pytest.fixture
def school(campus):
    return OrganisationFactory(
        name="LP Eugène Guillaume", kind="secondary_school", uai="0210056X", siret=""
    )


def snapshot():
    return list(Organisation.objects.order_by("pk").values())


@pytest.mark.parametrize("name", FORMATS)
def test_refreshes_the_network_schools_of_the_region(school, name):
    """CSV labels, JSON keys, JSON and XML all refresh the school known by its UAI."""
    run = run_import("onisep_structures", fixture_path(name))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.updated, run.skipped) == (3, 1, 2)
    assert run.skipped_reasons == {
        "hors de la région du campus": 1,
        "établissement sans formation de la filière dans le réseau": 1,
    }
    school.refresh_from_db()
    assert school.name == "Lycée professionnel Eugène Guillaume"
    assert school.siret == "19210056400017"
    assert school.commune.insee_code == "21425"
    assert (school.latitude, school.longitude) == (47.6227608, 4.33997965)
    assert (school.source, school.source_licence) == ("ONISEP, Idéo", "ODbL")
    assert Organisation.objects.count() == 1


def test_second_import_changes_nothing(school):
    """Importing the same file twice updates nothing the second time."""
    run_import("onisep_structures", fixture_path(FORMATS[0]))
    run = run_import("onisep_structures", fixture_path(FORMATS[0]))
    assert (run.updated, run.unchanged) == (0, 1)


def test_dry_run_writes_nothing(school):
    """A dry run reports what it would change and writes nothing."""
    before = snapshot()
    run = run_import("onisep_structures", fixture_path(FORMATS[0]), dry_run=True)
    assert run.updated == 1
    assert snapshot() == before


def write(tmp_path, name, text, encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def csv_text():
    return fixture_path(FORMATS[0]).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("0210056X", "0210056Y"), "ligne 2, colonne « code_uai »"),
        (("19210056400017", "19210056400018"), "ligne 2, colonne « n_siret »"),
        (("4.33997965", "quatre"), "ligne 2, colonne « longitude_x »"),
        (("47.6227608", "147.6"), "ligne 2, colonne « latitude_y »"),
    ],
)
def test_one_bad_row_rejects_the_file_naming_line_and_field(
    school, tmp_path, change, message
):
    """A malformed value fails the run, names its line and field, and writes nothing."""
    before = snapshot()
    path = write(tmp_path, "bad.csv", csv_text().replace(*change, 1))
    run = run_import("onisep_structures", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert snapshot() == before


def test_columns_are_found_by_name_in_any_order(school, tmp_path):
    """Shuffled columns are read by their label, not their position."""
    lines = csv_text().splitlines()
    rows = [line.split(";") for line in lines]
    order = list(reversed(range(len(rows[0]))))
    shuffled = "\n".join(";".join(row[i] for i in order) for row in rows[:2]) + "\n"
    run = run_import("onisep_structures", write(tmp_path, "shuffled.csv", shuffled))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.updated == 1


def test_duplicate_rows_are_reported(school, tmp_path):
    """A school listed twice is updated once and the duplicate reported."""
    lines = csv_text().splitlines()
    path = write(
        tmp_path, "double.csv", "\n".join([lines[0], lines[1], lines[1]]) + "\n"
    )
    run = run_import("onisep_structures", path)
    assert (run.updated, run.skipped_reasons) == (
        1,
        {"établissement en double dans le fichier": 1},
    )


@pytest.mark.parametrize(
    ("name", "cut"),
    [(FORMATS[0], 0.6), (FORMATS[2], 0.5), (FORMATS[3], 0.5)],
)
def test_truncated_files_are_rejected(school, tmp_path, name, cut):
    """A file cut in the middle fails with nothing written, whatever its format."""
    data = fixture_path(name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * cut)])
    before = snapshot()
    run = run_import("onisep_structures", path)
    assert run.status == ImportStatus.FAILED
    assert "tronqué" in run.error
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "Code commune;Code APE;Effectifs salariés 2022\n21425;1512Z;12\n",
            "champs manquants",
        ),
        ("", "vide"),
        ('{"pas": "une liste"}', "n'est pas un fichier"),
    ],
)
def test_wrong_files_are_rejected(school, tmp_path, content, message):
    """Another dataset, an empty file or a JSON object are refused with a reason."""
    run = run_import(
        "onisep_structures", write(tmp_path, "autre.csv", content, "utf-8")
    )
    assert run.status == ImportStatus.FAILED
    assert message in run.error


def test_binary_file_is_rejected(school, tmp_path):
    """A PNG given as the file is refused before reading."""
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    run = run_import("onisep_structures", path)
    assert run.status == ImportStatus.FAILED
    assert "n'est pas un fichier CSV" in run.error


def test_label_keys_and_ids():
    """Labels turn into the JSON keys, ids come from URLs, multi-values split on bars."""
    assert label_to_key("n° SIRET") == "n_siret"
    assert label_to_key("\ufefftype d'établissement") == "type_detablissement"
    assert (
        label_to_key("Lieu d'enseignement (ENS) libellé")
        == "lieu_denseignement_ens_libelle"
    )
    assert (
        onisep_id("https://www.onisep.fr/http/redirection/formation/slug/FOR.2255")
        == "FOR.2255"
    )
    assert onisep_id("pas une adresse") == ""
    assert split_values("a| b |c ||") == ["a", "b", "c"]
