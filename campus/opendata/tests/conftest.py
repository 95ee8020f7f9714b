from pathlib import Path

import pytest

from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile, SectorProfile

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _progress_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "imports": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "imports-cache",
        },
    }


@pytest.fixture
def campus(db):
    """The demo sector (leather goods) in Côte-d'Or and Doubs, with three communes."""
    cote_dor = DepartementFactory()
    doubs = DepartementFactory(code="25", name="Doubs")
    CommuneFactory()
    CommuneFactory(
        insee_code="21231",
        name="Dijon",
        postal_codes="21000",
        latitude=47.3214,
        longitude=5.0415,
    )
    CommuneFactory(
        insee_code="25056",
        name="Besançon",
        departement=doubs,
        postal_codes="25000",
        latitude=47.2488,
        longitude=6.0182,
    )
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor, doubs])
    sector = SectorProfile(name="Maroquinerie", naf_codes="15.11Z, 15.12Z, 1411Z")
    sector.save()
    return profile


def fixture_path(name: str) -> Path:
    return FIXTURES / name
