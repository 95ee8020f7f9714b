import pytest

from campus.network.models import Organisation
from campus.places.tests.factories import CommuneFactory
from campus.trainings.models import (
    Certification,
    DiplomaType,
    Level,
    Offering,
    Route,
)
from campus.trainings.tests.factories import OfferingFactory


@pytest.mark.django_db
def test_offering_copies_place_and_search_text_from_its_sources():
    """An offering stores its commune, département, coordinates and folded text."""
    offering = OfferingFactory(certification__title="CAP Sellier-harnacheur")
    assert offering.commune.name == "Montbard"
    assert offering.departement_code == "21"
    assert (offering.latitude, offering.longitude) == (47.62294, 4.337)
    assert "sellier harnacheur" in offering.search_text
    assert "montbard" in offering.search_text


@pytest.mark.django_db
def test_site_with_a_commune_gives_the_offering_its_place():
    """An offering taught at a site is placed at that site, not at the head office."""
    offering = OfferingFactory()
    besancon = CommuneFactory(
        insee_code="25056", name="Besançon", latitude=47.24878, longitude=6.01815
    )
    offering.site = offering.organisation.sites.create(name="Atelier", commune=besancon)
    offering.save()
    assert offering.commune == besancon
    assert offering.latitude == 47.24878


@pytest.mark.django_db
def test_renaming_the_organisation_or_certification_refreshes_the_offerings():
    """Offerings stay findable under the new names of their sources."""
    offering = OfferingFactory()
    organisation = offering.organisation
    organisation.name = "Lycée des métiers du cuir"
    organisation.save()
    certification = offering.certification
    certification.title = "CAP Maroquinerie rénové"
    certification.save()
    offering.refresh_from_db()
    assert "lycee des metiers du cuir" in offering.search_text
    assert "renove" in offering.search_text


@pytest.mark.django_db
def test_unpublishing_the_organisation_hides_its_offerings():
    """Offerings of an organisation taken off the directory leave the catalogue."""
    offering = OfferingFactory()
    organisation = offering.organisation
    organisation.is_published = False
    organisation.save()
    assert not Offering.objects.published().exists()
    organisation.is_published = True
    organisation.save()
    assert list(Offering.objects.published()) == [offering]


@pytest.mark.django_db
def test_demo_loads_labelled_offerings_at_the_demo_schools(demo_campus):
    """The demo offerings are flagged as demo (loading twice:
    campus/profiles/tests/test_pages.py)."""
    assert Offering.objects.count() >= 10
    assert not Offering.objects.filter(is_demo=False).exists()
    assert not Certification.objects.filter(is_demo=False).exists()
    montbard = Organisation.objects.get(slug="lycee-eugene-guillaume-montbard")
    assert montbard.offerings.filter(certification__level=3).exists()
    assert Offering.objects.filter(latitude__isnull=True).count() == 0


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("route", [*Route.values, "unknown"]),
        ("level", [*Level.values, 99]),
        ("diploma_type", [*DiplomaType.values, ""]),
    ],
)
def test_offering_displays_are_django_s(name, values):
    """The displays the cards read say what Django's get_FOO_display() says, an
    unknown value included."""
    field = Offering._meta.get_field(name)
    for value in values:
        offering = Offering(**{name: value})
        shown = getattr(offering, f"get_{name}_display")()
        assert shown == offering._get_FIELD_display(field)
