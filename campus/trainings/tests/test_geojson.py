import pytest
from django.urls import reverse

from campus.trainings.geojson import (
    located_rows,
    offerings_map,
    place_features,
    url_maker,
)
from campus.trainings.models import Offering, Route
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


def row(pk, *, organisation=1, lat=47.0, lon=5.0, commune="Dijon"):
    return (
        pk,
        f"CAP {pk}",
        Route.SCHOOL,
        organisation,
        "Lycée",
        "lycee",
        commune,
        lat,
        lon,
    )


def test_url_maker_builds_the_same_urls_as_reverse():
    """A URL built from the reversed pattern equals the one reverse() gives."""
    offering_url = url_maker("trainings:offering_detail", "pk")
    organisation_url = url_maker("network:organisation_detail", "slug")
    assert offering_url(42) == reverse("trainings:offering_detail", kwargs={"pk": 42})
    assert organisation_url("lycee-x") == reverse(
        "network:organisation_detail", kwargs={"slug": "lycee-x"}
    )


def test_offerings_of_one_organisation_at_one_place_share_a_point():
    """One point per organisation and coordinates, listing its offerings in order."""
    features = place_features(
        [row(1), row(2), row(3, lat=47.5), row(4, organisation=2)]
    )
    assert [len(f["properties"]["offerings"]) for f in features] == [2, 1, 1]
    first = features[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [5.0, 47.0]}
    assert first["properties"]["url"] == reverse(
        "network:organisation_detail", kwargs={"slug": "lycee"}
    )
    assert first["properties"]["offerings"][1] == {
        "title": "CAP 2",
        "route": "Voie scolaire",
        "url": reverse("trainings:offering_detail", kwargs={"pk": 2}),
    }


def test_a_place_without_commune_has_an_empty_commune_name():
    """The popup gets an empty string, never null, for a place without a commune."""
    [feature] = place_features([row(1, commune=None)])
    assert feature["properties"]["commune"] == ""


def test_offerings_without_coordinates_are_left_out():
    """Only offerings with coordinates can become points."""
    located = OfferingFactory()
    Offering.objects.filter(pk=OfferingFactory().pk).update(latitude=None)
    rows = located_rows(Offering.objects.all(), cap=10)
    assert [r[0] for r in rows] == [located.pk]


def test_the_map_holds_at_most_the_cap_and_says_it_is_truncated():
    """Past the cap the collection counts the cap and flags the truncation."""
    OfferingFactory.create_batch(3)
    truncated = offerings_map(Offering.objects.all(), cap=2)
    assert truncated["offerings"] == 2 and truncated["truncated"] is True
    whole = offerings_map(Offering.objects.all(), cap=3)
    assert whole["offerings"] == 3 and whole["truncated"] is False
    assert whole["type"] == "FeatureCollection"
