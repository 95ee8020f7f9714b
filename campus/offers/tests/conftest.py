import pytest

from campus.places.tests.factories import CommuneFactory, DepartementFactory


@pytest.fixture
def besancon(db):
    return CommuneFactory(
        insee_code="25056",
        name="Besançon",
        postal_codes="25000",
        latitude=47.2378,
        longitude=6.0241,
        departement=DepartementFactory(code="25", name="Doubs"),
    )
