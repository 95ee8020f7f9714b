from io import StringIO
from pathlib import Path

import pytest

from campus.opendata.importers.base import ImportReport
from campus.places.models import (
    Commune,
    Departement,
    Region,
    coordinates_or_commune,
    distance_km,
)
from campus.places.services import SHIPPED_FILE, CommunesFileError, load_communes

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def load(name, **kwargs):
    return load_path(FIXTURES / name, **kwargs)


def load_path(path, **kwargs):
    report = ImportReport()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        load_communes(stream, report=report, **kwargs)
    return report


def test_loads_official_format_keeping_the_region():
    """The data.gouv CSV loads by header name, keeps one région and reads postal code lists."""
    report = load("communes-france-2024.csv", region_codes={"27"})
    assert (report.created, report.skipped) == (3, 1)
    montbard = Commune.objects.get(insee_code="21425")
    assert montbard.departement.name == "Côte-d'Or"
    assert montbard.departement.region.code == "27"
    assert (montbard.latitude, montbard.longitude) == (47.6234, 4.3389)
    dijon = Commune.objects.get(insee_code="21231")
    assert dijon.postal_code_list == ["21000", "21100", "21031", "21033"]
    assert not Commune.objects.filter(insee_code="01004").exists()


def test_centroid_is_used_when_town_hall_is_missing():
    """A commune without town hall coordinates takes its centroid's."""
    load("communes-france-2024.csv")
    commune = Commune.objects.get(insee_code="21426")
    assert (commune.latitude, commune.longitude) == (47.4575, 4.1606)


def test_second_load_changes_nothing():
    """Loading the same file twice creates and updates nothing the second time."""
    load("communes-france-2024.csv")
    report = load("communes-france-2024.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


def test_bad_value_rejects_whole_file_naming_line_and_column():
    """A malformed value aborts the load, names its line and column, and writes nothing."""
    with pytest.raises(CommunesFileError) as error:
        load("communes-bad-latitude.csv")
    assert "ligne 5" in str(error.value) and "latitude_centre" in str(error.value)
    assert Commune.objects.count() == 0
    assert Departement.objects.count() == 0 and Region.objects.count() == 0


def test_wrong_file_is_rejected():
    """A CSV of another kind is rejected with the missing columns named."""
    with pytest.raises(CommunesFileError, match="colonnes manquantes"):
        load_communes(StringIO("uai;nom\n0210056X;Lycée\n"), report=ImportReport())


def test_shipped_file_loads_the_whole_region():
    """The communes file shipped with Campus loads every commune of Bourgogne-Franche-Comté."""
    load_path(SHIPPED_FILE)
    assert Commune.objects.count() > 3600
    assert Departement.objects.filter(region__code="27").count() == 8
    assert Commune.objects.get(insee_code="25388").name == "Montbéliard"
    assert Commune.objects.with_coordinates().count() > 900


def test_search_is_accent_insensitive():
    """'montbeliard' finds Montbéliard, and a postal code finds its commune."""
    load_path(SHIPPED_FILE)
    assert Commune.objects.search("montbeliard").filter(insee_code="25388").exists()
    assert Commune.objects.search("21500").filter(insee_code="21425").exists()


def test_distance_between_montbard_and_dijon():
    """The great-circle distance Montbard–Dijon is about 62 km."""
    assert 60 < distance_km(47.6234, 4.3389, 47.3214, 5.0415) < 64


def test_a_place_without_both_coordinates_takes_its_commune_s():
    """Known coordinates are kept; half a point or none is replaced by the commune's."""
    montbard = Commune(latitude=47.6234, longitude=4.3389)
    assert coordinates_or_commune(47.0, 5.0, montbard) == (47.0, 5.0)
    assert coordinates_or_commune(None, 5.0, montbard) == (47.6234, 4.3389)
    assert coordinates_or_commune(None, None, Commune()) == (None, None)
    assert coordinates_or_commune(47.0, None, None) == (None, None)
