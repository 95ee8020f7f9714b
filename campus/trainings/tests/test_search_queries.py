"""What the search boxes understand: synonyms, a place in the query, trades by name,
French route values and the older addresses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import SectorProfile
from campus.search import extract_place, parse_synonyms
from campus.trades.tests.factories import TradeFactory
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("trainings:catalogue")
SYNONYMS = "alternance = apprentissage\nsac → maroquinerie\nbijou → bijouterie"


def titles(response) -> set[str]:
    return {offering.certification.title for offering in response.context["page"]}


@pytest.fixture
def doubs():
    departement = DepartementFactory(code="25", name="Doubs")
    rows = {
        "besancon": ("25056", "Besançon", "25000", 47.24, 6.02, 119198),
        # Two communes share a name: the more populous one is meant.
        "small_morteau": ("25411", "Morteau", "25500", 47.06, 6.61, 7000),
        "village": ("25999", "Morteau", "25501", 47.5, 6.0, 40),
        # Two communes share a postal code.
        "thise": ("25560", "Thise", "25220", 47.28, 6.08, 3200),
        "chalezeule": ("25111", "Chalezeule", "25220", 47.26, 6.07, 1200),
    }
    return {
        key: CommuneFactory(
            insee_code=insee,
            name=name,
            postal_codes=postal_code,
            latitude=latitude,
            longitude=longitude,
            population=population,
            departement=departement,
        )
        for key, (insee, name, postal_code, latitude, longitude, population) in (
            rows.items()
        )
    }


@pytest.fixture
def catalogue(doubs):
    SectorProfile(name="Maroquinerie", synonyms=SYNONYMS).save()
    in_besancon = OrganisationFactory(
        name="Lycée Jules Haag", commune=doubs["besancon"], school=True
    )
    return {
        "cap": OfferingFactory(
            certification__title="CAP Maroquinerie", organisation=in_besancon
        ),
        "apprentice": OfferingFactory(
            certification__title="CAP Sellerie générale",
            certification__rome_codes="B1803",
            apprenticeship=True,
        ),
        "jewel": OfferingFactory(
            certification__title="CAP Art et techniques de la bijouterie",
            certification__rome_codes="B1603",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sac", {"CAP Maroquinerie"}),
        ("bijou", {"CAP Art et techniques de la bijouterie"}),
        ("alternance", {"CAP Sellerie générale"}),
        ("maroquinerie", {"CAP Maroquinerie"}),
        ("sac cap", {"CAP Maroquinerie"}),
    ],
)
def test_catalogue_search_uses_the_sector_synonyms(client, catalogue, query, expected):
    """A visitor's word finds the training named with the sector's word."""
    assert titles(client.get(CATALOGUE, {"q": query})) == expected


def test_a_one_way_synonym_does_not_work_backwards(client, catalogue):
    """« sac → maroquinerie » does not make « maroquinerie » find bags."""
    OfferingFactory(certification__title="CAP Sac et accessoires")
    assert titles(client.get(CATALOGUE, {"q": "maroquinerie"})) == {"CAP Maroquinerie"}
    assert titles(client.get(CATALOGUE, {"q": "sac"})) == {
        "CAP Maroquinerie",
        "CAP Sac et accessoires",
    }


def test_directory_and_trades_search_use_the_synonyms(client):
    """The directory and the trades list expand the same synonyms."""
    SectorProfile(synonyms="sac → maroquinerie").save()
    OrganisationFactory(name="Maroquinerie du Doubs")
    TradeFactory(name="Maroquinier", summary="Fabrique des objets en maroquinerie.")
    directory = client.get(reverse("network:directory"), {"q": "sac"})
    assert [o.name for o in directory.context["page"].object_list] == [
        "Maroquinerie du Doubs"
    ]
    trades = client.get(reverse("trades:trade_list"), {"q": "sac"})
    assert "Maroquinier" in trades.content.decode()


def test_a_commune_in_the_query_becomes_the_place_of_the_search(client, catalogue):
    """« maroquinerie besançon » searches « maroquinerie » within 30 km of Besançon."""
    response = client.get(CATALOGUE, {"q": "maroquinerie besançon"})
    assert titles(response) == {"CAP Maroquinerie"}
    offering_filter = response.context["filter"]
    assert offering_filter.recognised_place.name == "Besançon"
    assert offering_filter.form.cleaned_data["q"] == "maroquinerie"
    body = response.content.decode()
    assert "Commune reconnue dans la recherche : <strong>Besançon</strong>" in body
    assert "à moins de 30 km" in body


def test_a_place_alone_lists_what_is_near_it(client, catalogue):
    """A query that is only a commune's name lists every training near it."""
    response = client.get(CATALOGUE, {"q": "Besancon"})
    assert titles(response) == {"CAP Maroquinerie"}


def test_an_ambiguous_commune_name_means_the_most_populous(doubs):
    """Of two communes called Morteau, the query means the larger one."""
    rest, commune = extract_place("cap morteau")
    assert (rest, commune) == ("cap", doubs["small_morteau"])


def test_a_name_is_matched_whole_among_many_longer_ones(doubs):
    """« saint » is no commune even when hundreds of Saint-… exist; Saint-Vit still is."""
    departement = doubs["besancon"].departement
    for number in range(250):
        CommuneFactory(
            insee_code=f"25{number:03d}",
            name=f"Saint-Lieu-{number}",
            postal_codes="25100",
            population=100_000 - number,
            departement=departement,
        )
    saint_vit = CommuneFactory(
        insee_code="25527",
        name="Saint-Vit",
        postal_codes="25410",
        population=5000,
        departement=departement,
    )
    assert extract_place("cap saint") == ("cap saint", None)
    assert extract_place("cap saint vit") == ("cap", saint_vit)


def test_a_place_is_looked_up_by_its_whole_folded_name_on_an_index(doubs):
    """The commune named in a query is found by equality on `folded_name`, an index:
    a prefix match of the search name read every commune of France on SQLite."""
    with CaptureQueriesContext(connection) as queries:
        assert extract_place("cap besancon")[1] == doubs["besancon"]
    (lookup,) = [q["sql"] for q in queries if "places_commune" in q["sql"]]
    assert "folded_name" in lookup
    assert "LIKE" not in lookup.upper()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {lookup}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "folded_name" in plan and "SCAN places_commune" not in plan


def test_a_postal_code_alone_is_a_place(doubs):
    """« 25000 » is Besançon; a code shared by several communes means the most populous."""
    assert extract_place("25000") == ("", doubs["besancon"])
    assert extract_place("maroquinerie 25220") == ("maroquinerie", doubs["thise"])
    assert extract_place("besancon 25000") == ("", doubs["besancon"])


def test_sector_words_and_chosen_communes_win_over_place_names(client, catalogue):
    """A word of the synonyms is never a place, and a chosen commune keeps the query whole."""
    CommuneFactory(insee_code="39999", name="Sac", postal_codes="39000")
    assert extract_place("sac", ignore={"sac"})[1] is None
    response = client.get(CATALOGUE, {"q": "sac", "commune": "Montbard"})
    assert response.context["filter"].recognised_place is None


def test_the_commune_field_accepts_a_postal_code_alone(client, catalogue):
    """« 25000 » in « Près de la commune » is Besançon; INSEE codes of older links still work."""
    response = client.get(CATALOGUE, {"commune": "25000", "rayon": "5"})
    assert response.status_code == 200
    assert titles(response) == {"CAP Maroquinerie"}
    assert titles(client.get(CATALOGUE, {"commune": "25056", "rayon": "5"})) == {
        "CAP Maroquinerie"
    }


def test_trades_are_chosen_by_name_and_older_rome_links_still_work(client, catalogue):
    """The trade select lists the sector's trades by name; « metier=B1803 » still filters."""
    TradeFactory(name="Sellier", slug="sellier", rome_codes="B1803")
    TradeFactory(name="Bijoutier", slug="bijoutier", rome_codes="B1603, B1604")
    response = client.get(CATALOGUE, {"metier": "sellier"})
    assert titles(response) == {"CAP Sellerie générale"}
    body = response.content.decode()
    assert '<option value="sellier" selected>Sellier</option>' in body
    assert '<option value="bijoutier">Bijoutier</option>' in body
    assert titles(client.get(CATALOGUE, {"metier": "bijoutier"})) == {
        "CAP Art et techniques de la bijouterie"
    }
    response = client.get(CATALOGUE, {"metier": "B1803"})
    assert titles(response) == {"CAP Sellerie générale"}
    assert '<option value="B1803" selected>Code ROME B1803</option>' in (
        response.content.decode()
    )


def test_an_unknown_trade_is_explained_in_french(client, catalogue):
    """A trade slug that does not exist answers 400 with a French message."""
    response = client.get(CATALOGUE, {"metier": "astronaute"})
    assert response.status_code == 400
    assert "Métier inconnu" in response.content.decode()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "school",
            "scolaire",
            {"CAP Maroquinerie", "CAP Art et techniques de la bijouterie"},
        ),
        ("apprenticeship", "apprentissage", {"CAP Sellerie générale"}),
        ("continuing", "continue", set()),
    ],
)
@pytest.mark.parametrize("page", ["trainings:catalogue", "trainings:map"])
def test_an_older_route_value_redirects_to_the_french_one(
    client, catalogue, old, new, expected, page
):
    """« voie=school » and the other English values lead to the French address."""
    url = reverse(page)
    response = client.get(url, {"voie": old, "q": "cap"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?voie={new}&q=cap"
    response = client.get(response["Location"])
    assert titles(response) == expected
    assert f'<option value="{new}" selected>' in response.content.decode()


def test_older_route_values_still_filter_the_map_data(client, catalogue):
    """The map's data and embed pages, read by partners' sites, accept the older values."""
    response = client.get(reverse("trainings:map_data"), {"voie": "apprenticeship"})
    assert response.status_code == 200
    assert response.json()["features"]
    assert (
        client.get(reverse("trainings:map_embed"), {"voie": "school"}).status_code
        == 200
    )


def test_restoring_a_page_missing_from_the_history_cache_gets_the_whole_page(
    client, catalogue
):
    """htmx's history-restore request gets the full page, not the results alone."""
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(CATALOGUE, {"q": "sac"}, headers=headers)
    assert "<html" in response.content.decode()
    swap = client.get(CATALOGUE, {"q": "sac"}, headers={"HX-Request": "true"})
    assert "<html" not in swap.content.decode()


@pytest.mark.parametrize("url_name", ["network:directory", "trades:trade_list"])
def test_directory_and_trades_restore_the_whole_page_from_history(client, url_name):
    """The directory and the trades list also answer a history restore with the page."""
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(reverse(url_name), {"q": "sac"}, headers=headers)
    assert "<html" in response.content.decode()


def test_the_demo_sector_has_readable_synonyms(demo_campus):
    """The leather campus's demo synonyms parse into the expected rules."""
    synonyms = parse_synonyms(SectorProfile.load().synonyms)
    assert synonyms["sac"] == ("maroquinerie",)
    assert synonyms["alternance"] == ("apprentissage",)
    assert synonyms["bijou"] == ("bijouterie",)


def test_the_pages_links_keep_only_the_filters_in_use(client, catalogue):
    """A form sent without JavaScript carries empty fields; the page's links drop them."""
    OfferingFactory.create_batch(20, certification__title="CAP Maroquinerie bis")
    params = {"q": "cap", "niveau": "", "voie": "", "metier": "", "tri": ""}
    body = client.get(CATALOGUE, params).content.decode()
    assert 'href="?q=cap&amp;page=2" rel="next"' in body
    assert f'href="{reverse("trainings:map")}?q=cap"' in body
    map_body = client.get(reverse("trainings:map"), params).content.decode()
    assert 'href="?q=cap&amp;tri=niveau"' in map_body
    assert "voie=&amp;" not in map_body and "niveau=&amp;" not in map_body
