import json

import pytest
from django.urls import reverse

from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import RegionFactory
from campus.profiles.models import CampusProfile
from campus.trainings import views
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db
MAP_DATA = reverse("trainings:map_data")
MAP = reverse("trainings:map")
BASE_LAYER = reverse("trainings:map_base_layer", args=["27"])


def test_map_data_is_geojson_of_published_offerings_only(client):
    """Only published offerings of published organisations become map points."""
    shown = OfferingFactory(certification__title="CAP Maroquinerie")
    OfferingFactory(organisation=shown.organisation, apprenticeship=True)
    OfferingFactory(unpublished=True)
    OfferingFactory(organisation=OrganisationFactory(unpublished=True))
    response = client.get(MAP_DATA)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["offerings"] == 2 and data["truncated"] is False
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.337, 47.62294]}
    properties = feature["properties"]
    assert properties["organisation"] == shown.organisation.name
    assert properties["url"] == shown.organisation.get_absolute_url()
    assert {o["route"] for o in properties["offerings"]} == {
        "Voie scolaire",
        "Apprentissage",
    }


def test_map_data_takes_the_catalogue_filters(client):
    """The map data answers the same URL parameters as the catalogue."""
    OfferingFactory(certification__title="CAP Maroquinerie")
    OfferingFactory(certification__dn_made=True, in_montbeliard=True)
    data = client.get(MAP_DATA, {"departement": "25", "niveau": "6"}).json()
    assert [f["properties"]["commune"] for f in data["features"]] == ["Montbéliard"]
    data = client.get(MAP_DATA, {"commune": "21425", "rayon": "20"}).json()
    assert [f["properties"]["commune"] for f in data["features"]] == ["Montbard"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"commune": "21425", "rayon": "abc"}, "nombre de kilomètres"),
        ({"commune": "21425", "rayon": "-5"}, "au moins 1 km"),
        ({"commune": "21425", "rayon": "1e9"}, "limitée à 200 km"),
        ({"commune": "2A99Z"}, "Commune inconnue"),
        ({"niveau": "<script>"}, "Niveau inconnu"),
        ({"q": "x" * 10_000}, "trop longue"),
    ],
)
def test_map_data_refuses_bad_parameters_with_french_json(client, params, message):
    """Bad parameters answer 400 with a French message in JSON."""
    OfferingFactory()
    response = client.get(MAP_DATA, params)
    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_map_data_is_capped_and_says_so(client, monkeypatch):
    """Past the cap the response is cut and flagged, so the map can ask to refine."""
    monkeypatch.setattr(views, "MAP_MAX_OFFERINGS", 2)
    OfferingFactory.create_batch(3)
    data = client.get(MAP_DATA).json()
    assert data["offerings"] == 2 and data["truncated"] is True
    assert sum(len(f["properties"]["offerings"]) for f in data["features"]) == 2


def test_map_data_escapes_nothing_but_is_json(client):
    """Names travel as JSON strings; the map builds its popups with textContent."""
    OfferingFactory(organisation__name='Atelier <img src=x onerror="alert(1)">')
    raw = client.get(MAP_DATA).content.decode()
    assert json.loads(raw)["features"][0]["properties"]["organisation"].startswith(
        "Atelier <img"
    )


def test_map_page_has_the_base_layer_the_data_url_and_a_sortable_table(client):
    """The map page names its offline outline, which it does not carry, and gives
    the same data as a table."""
    CampusProfile.objects.create(region=RegionFactory())
    OfferingFactory(certification__title="CAP Maroquinerie")
    OfferingFactory(certification__dn_made=True, in_montbeliard=True)
    response = client.get(MAP, {"q": "cap", "tri": "-formation"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-campus-map-base-url="{BASE_LAYER}"' in body
    assert '"kind"' not in body
    assert f'data-campus-map-data-url="{MAP_DATA}?q=cap"' in body
    assert "<caption>" in body and 'aria-sort="descending"' in body
    assert 'href="?q=cap&amp;tri=formation"' in body


def test_base_layer_is_the_regions_outline_kept_a_day_by_browsers(client):
    """The outline the maps fetch is public GeoJSON that browsers may cache."""
    response = client.get(BASE_LAYER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "max-age=86400, public"
    kinds = [feature["properties"]["kind"] for feature in response.json()["features"]]
    assert kinds == ["region"] + ["departement"] * 8


@pytest.mark.parametrize("code", ["32", "..", "27-communes"])
def test_base_layer_of_a_region_without_a_shipped_file_is_a_404(client, code):
    """Only a shipped région file is served: any other code answers 404."""
    response = client.get(f"/carte/fond/{code}.geojson")
    assert response.status_code == 404


def test_map_list_sorts_by_each_column(client):
    """The list sorts by commune and by level through plain links."""
    OfferingFactory(certification__dn_made=True, in_montbeliard=True)
    OfferingFactory(certification__title="CAP Maroquinerie")
    by_commune = client.get(MAP, {"tri": "commune"}).context["page"]
    assert [o.commune.name for o in by_commune] == ["Montbard", "Montbéliard"]
    by_level = client.get(MAP, {"tri": "-niveau"}).context["page"]
    assert [o.certification.level for o in by_level] == [6, 3]


def test_map_page_with_bad_filters_answers_400(client):
    """The map page explains a bad filter like the catalogue does."""
    response = client.get(MAP, {"departement": "999"})
    assert response.status_code == 400
    assert "Département inconnu" in response.content.decode()


def test_embed_page_can_be_framed_and_has_a_title(client):
    """Partners can put the embed page in an iframe; it is titled and links to the list."""
    OfferingFactory()
    response = client.get(reverse("trainings:map_embed"), {"voie": "scolaire"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "<title>Carte des formations" in body
    assert f'href="{MAP}?voie=scolaire" target="_top"' in body


def test_map_page_gives_the_embed_code_with_an_iframe_title(client):
    """The map page hands out an iframe code with a title and the current filters."""
    response = client.get(MAP, {"voie": "apprentissage"})
    body = response.content.decode()
    assert (
        "&lt;iframe src=&quot;http://testserver/carte/embed/?voie=apprentissage"
        in (body.replace('"', "&quot;"))
        or '&lt;iframe src="http://testserver/carte/embed/?voie=apprentissage' in body
    )
    assert 'title="Carte des formations' in body.replace("&quot;", '"')


def test_embed_page_explains_bad_filters_with_400(client):
    """A partner's broken embed code shows why instead of an empty map."""
    response = client.get(reverse("trainings:map_embed"), {"rayon": "x"})
    assert response.status_code == 400
    assert "Les filtres de cette carte sont invalides" in response.content.decode()


def test_map_page_of_another_region_has_no_outline_of_this_one(client):
    """A campus in a région with no shipped layer gets an empty outline, not ours."""
    CampusProfile.objects.create(
        region=RegionFactory(code="32", name="Hauts-de-France")
    )
    body = client.get(MAP).content.decode()
    assert 'data-campus-map-base-url=""' in body
    assert "Bourgogne" not in body


def test_map_page_states_the_commune_and_radius_searched(client):
    """The list tells the map where to draw the chosen commune and its radius."""
    OfferingFactory()
    response = client.get(MAP, {"commune": "21425", "rayon": "15"})
    body = response.content.decode()
    assert 'data-campus-map-centre-name="Montbard"' in body
    assert 'data-campus-map-centre-lat="47.622940"' in body
    assert 'data-campus-map-centre-radius="15"' in body
    assert "data-campus-map-centre" not in client.get(MAP).content.decode()


def test_map_links_to_the_catalogue_with_the_same_filters(client):
    """The catalogue link of the map keeps the filters but not the sort or page."""
    OfferingFactory()
    body = client.get(MAP, {"q": "cap", "voie": "scolaire", "tri": "commune"}).content
    catalogue = reverse("trainings:catalogue")
    assert f'href="{catalogue}?q=cap&amp;voie=scolaire"' in body.decode()


def test_map_calls_no_tile_server_unless_one_is_set(client, settings):
    """Without CAMPUS_MAP_TILES_URL the map has no tile URL; with it, its attribution."""
    assert 'data-campus-map-tiles=""' in client.get(MAP).content.decode()
    settings.CAMPUS_MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    settings.CAMPUS_MAP_TILES_ATTRIBUTION = "© contributeurs d'OpenStreetMap"
    body = client.get(MAP).content.decode()
    assert 'data-campus-map-tiles="https://tuiles.example.org/{z}/{x}/{y}.png"' in body
    assert 'data-campus-map-attribution="© contributeurs d&#x27;OpenStreetMap"' in body


def test_privacy_page_names_the_tile_server_only_when_set(client, settings):
    """The personal-data page tells visitors which tile server the map calls."""
    privacy = reverse("profiles:privacy")
    assert "fond de plan" not in client.get(privacy).content.decode()
    settings.CAMPUS_MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    body = client.get(privacy).content.decode()
    assert "fond de plan" in body and "<strong>tuiles.example.org</strong>" in body
