import pytest

from campus.places.tests.factories import DepartementFactory, RegionFactory
from campus.profiles.models import CampusProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def departements():
    other_region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    return {
        "21": DepartementFactory(code="21", name="Côte-d'Or"),
        "25": DepartementFactory(code="25", name="Doubs"),
        "01": DepartementFactory(code="01", name="Ain", region=other_region),
    }


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_served_departements_are_the_chosen_ones(departements):
    """A campus that chose its départements serves those."""
    campus = CampusProfile.objects.create(region=departements["21"].region)
    campus.departements.set([departements["25"]])
    assert codes(campus.served_departements()) == ["25"]


def test_served_departements_default_to_the_region(departements):
    """A campus with a region and no chosen départements serves its region's."""
    campus = CampusProfile.objects.create(region=departements["21"].region)
    assert codes(campus.served_departements()) == ["21", "25"]


def test_a_national_instance_serves_every_departement(departements):
    """Without a saved profile, every known département is served."""
    assert codes(CampusProfile.load().served_departements()) == ["01", "21", "25"]
