import pytest

from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("onisep_formations", "onisep-formations.csv"),
        ("onisep_metiers", "onisep-metiers.csv"),
        ("onisep_structures", "onisep-structures-secondaire.csv"),
        ("urssaf", "urssaf-commune-ape.csv"),
        ("inserjeunes", "fr-en-inserjeunes-cfa.csv"),
        ("sirene", "StockEtablissement_utf8.csv"),
        ("communes", "communes-france-2024.csv"),
    ],
)
def test_file_cut_inside_a_quoted_field_names_the_line_where_it_starts(
    campus, tmp_path, source, name
):
    """A record whose quote is never closed is refused at the line where it starts."""
    SectorProfile.objects.update(nsf_codes="243", rome_codes="B1802")
    lines = fixture_path(name).read_bytes().splitlines(keepends=True)
    path = tmp_path / name
    # Line 4 opens a quoted field that the end of the file leaves open.
    path.write_bytes(b"".join(lines[:3]) + b'"' + lines[2] + lines[2])
    run = run_import(source, path)
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("ligne 4 : "), run.error
