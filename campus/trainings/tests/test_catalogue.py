import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import OrganisationFactory
from campus.testing.htmx import assert_filter_swap
from campus.trainings.filters import stem
from campus.trainings.models import Offering
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory
from campus.trainings.views import CappedPaginator

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("trainings:catalogue")


def titles(response) -> list[str]:
    return [offering.certification.title for offering in response.context["page"]]


@pytest.fixture
def sector():
    """Four published offerings in Côte-d'Or and the Doubs, and two hidden ones."""
    cap = OfferingFactory(certification__title="CAP Maroquinerie")
    bac = OfferingFactory(certification__bac_pro=True, apprenticeship=True)
    saddler = OfferingFactory(
        certification__title="CAP Sellier-harnacheur",
        certification__rome_codes="B1803",
        continuing=True,
    )
    made = OfferingFactory(certification__dn_made=True, in_montbeliard=True)
    OfferingFactory(certification__title="CAP Maroquinerie cachée", unpublished=True)
    OfferingFactory(
        certification__title="CAP Maroquinerie d'un lycée non publié",
        organisation=OrganisationFactory(unpublished=True),
    )
    return {"cap": cap, "bac": bac, "saddler": saddler, "made": made}


def test_catalogue_lists_only_published_offerings_of_published_organisations(
    client, sector
):
    """Unpublished offerings and offerings of unpublished organisations stay hidden."""
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        o.certification.title for o in sector.values()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "maroquin",
            {"CAP Maroquinerie", "Bac pro Métiers du cuir option maroquinerie"},
        ),
        (
            "MAROQUINÉRIE",
            {"CAP Maroquinerie", "Bac pro Métiers du cuir option maroquinerie"},
        ),
        ("sellerie", {"CAP Sellier-harnacheur"}),
        ("matériaux", {"DN MADe mention Matériaux"}),
        ("materiaux montbeliard", {"DN MADe mention Matériaux"}),
        ("apprentissage", {"Bac pro Métiers du cuir option maroquinerie"}),
        ("B1803", {"CAP Sellier-harnacheur"}),
    ],
)
def test_search_ignores_accents_and_case_and_matches_partial_words(
    client, sector, query, expected
):
    """Accents, case and word endings do not matter; every word must match."""
    response = client.get(CATALOGUE, {"q": query})
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_empty_query_shows_every_published_offering(client, sector):
    """A blank or whitespace-only query is no filter at all."""
    response = client.get(CATALOGUE, {"q": "   "})
    assert response.status_code == 200
    assert len(titles(response)) == 4


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%_%",
        '"); DROP TABLE trainings_offering; --',
        "\u202e maroquin",
    ],
)
def test_hostile_queries_find_nothing_and_are_escaped(client, sector, query):
    """Markup and SQL in a query are plain words: no injection, no raw echo, no write."""
    response = client.get(CATALOGUE, {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert Offering.objects.count() == 6


def test_markup_in_a_query_is_echoed_escaped_and_matches_nothing(client, sector):
    """A script tag typed in the search box comes back as text."""
    response = client.get(CATALOGUE, {"q": "<script>alert(1)</script>"})
    assert titles(response) == []
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in response.content.decode()


def test_null_character_in_a_query_is_refused_in_french(client, sector):
    """A NUL byte, which PostgreSQL cannot store, answers 400 and not 500."""
    response = client.get(CATALOGUE, {"q": "maroquin\x00"})
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_very_long_query_is_refused_in_french(client, sector):
    """A 10,000-character query answers 400 with a French message."""
    response = client.get(CATALOGUE, {"q": "maroquinerie " * 800})
    assert response.status_code == 400
    assert "La recherche est trop longue" in response.content.decode()


def test_word_endings_are_stemmed_but_short_words_kept():
    """'sellerie' and 'sellier' meet at 'sell'; 'cuir' and 'mode' stay whole."""
    assert stem("sellerie") == stem("sellier") == "sell"
    assert stem("maroquinerie") == "maroquin"
    assert stem("metiers") == "metier"
    assert (stem("cuir"), stem("mode"), stem("cap")) == ("cuir", "mode", "cap")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"niveau": "4"}, {"bac"}),
        ({"niveau": "6"}, {"made"}),
        ({"voie": "apprentissage"}, {"bac"}),
        ({"voie": "continue"}, {"saddler"}),
        ({"diplome": "dn_made"}, {"made"}),
        ({"diplome": "cap"}, {"cap", "saddler"}),
        ({"metier": "B1803"}, {"saddler"}),
        ({"metier": "b1802"}, {"cap", "bac"}),
        ({"departement": "25"}, {"made"}),
        ({"departement": "21"}, {"cap", "bac", "saddler"}),
        ({"commune": "25388", "rayon": "10"}, {"made"}),
        ({"commune": "21500 Montbard", "rayon": "10"}, {"cap", "bac", "saddler"}),
        ({"commune": "Montbard", "rayon": "200"}, {"cap", "bac", "saddler", "made"}),
        ({"niveau": "3", "voie": "scolaire"}, {"cap"}),
    ],
)
def test_each_filter_narrows_the_results(client, sector, params, expected):
    """Level, route, diploma, trade, département and distance filter the catalogue."""
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    assert set(titles(response)) == {
        sector[key].certification.title for key in expected
    }


def test_distance_filter_without_radius_uses_thirty_km_and_sorts_by_distance(
    client, sector
):
    """Near a commune, the nearest offerings come first and the distance is shown."""
    response = client.get(CATALOGUE, {"commune": "21425"})
    assert response.status_code == 200
    assert "à moins de 30 km" in response.content.decode()
    distances = [offering.distance_km for offering in response.context["page"]]
    assert distances == sorted(distances) and len(distances) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"niveau": "9"}, "Niveau inconnu"),
        ({"niveau": "trois"}, "Niveau inconnu"),
        ({"voie": "correspondance"}, "Voie inconnue"),
        ({"diplome": "doctorat"}, "Type de diplôme inconnu"),
        ({"metier": "maroquinier"}, "Métier inconnu"),
        ({"metier": "Z9999"}, "Métier inconnu"),
        ({"departement": "75"}, "Département inconnu"),
        ({"departement": "' OR 1=1"}, "Département inconnu"),
        ({"commune": "99999"}, "Commune inconnue"),
        ({"commune": "Atlantide"}, "Commune inconnue"),
        ({"commune": "x" * 500}, "trop long"),
        ({"commune": "21425", "rayon": "loin"}, "nombre de kilomètres"),
        ({"commune": "21425", "rayon": "0"}, "au moins 1 km"),
        ({"commune": "21425", "rayon": "5000"}, "limitée à 200 km"),
        ({"commune": "21425", "rayon": "NaN"}, "nombre de kilomètres"),
        ({"rayon": "20"}, "Indiquez la commune"),
        ({"tri": "distance"}, "demande une commune"),
        ({"tri": "prix"}, "Tri inconnu"),
    ],
)
def test_invalid_filter_values_answer_400_in_french(client, sector, params, message):
    """Every unknown or malformed value is explained on the page, never a 500."""
    response = client.get(CATALOGUE, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Filtres à corriger" in body
    assert Offering.objects.count() == 6


def test_filters_survive_the_url_round_trip(client, sector):
    """The form shows the values of the URL, and its links carry them on."""
    OfferingFactory.create_batch(25, certification__title="CAP Maroquinerie bis")
    params = {
        "q": "maroquin",
        "niveau": "3",
        "voie": "scolaire",
        "departement": "21",
    }
    response = client.get(CATALOGUE, params)
    body = response.content.decode()
    assert 'value="maroquin"' in body
    assert re.search(r'<option value="3" selected>', body)
    assert re.search(r'<option value="scolaire" selected>', body)
    assert re.search(r'<option value="21" selected>', body)
    next_link = re.search(r'href="\?([^"]+)" rel="next"', body).group(1)
    assert (
        next_link
        == "q=maroquin&amp;niveau=3&amp;voie=scolaire&amp;departement=21&amp;page=2"
    )
    assert (
        f"{reverse('trainings:map')}?q=maroquin&amp;niveau=3&amp;voie=scolaire&amp;departement=21"
        in body
    )
    second = client.get(CATALOGUE, {**params, "page": "2"})
    assert second.status_code == 200
    assert second.context["page"].number == 2
    assert set(titles(response)).isdisjoint(set()) and len(titles(second)) == 6


def test_htmx_request_gets_only_the_results_fragment(client, sector):
    """The same URL answers htmx with the results section alone."""
    response = client.get(CATALOGUE, {"q": "sellerie"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert "CAP Sellier-harnacheur" in body


def test_htmx_request_with_bad_filter_gets_the_fragment_with_400(client, sector):
    """Filter errors reach an htmx request too, as a 400 fragment."""
    response = client.get(CATALOGUE, {"voie": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "Filtres à corriger" in response.content.decode()


def test_catalogue_query_count_does_not_grow_with_results(
    client, sector, django_assert_max_num_queries
):
    """One page of results costs a fixed number of queries."""
    OfferingFactory.create_batch(15)
    with django_assert_max_num_queries(10):
        client.get(CATALOGUE)


def test_offering_page_shows_school_open_days_and_how_to_apply(client, sector):
    """An offering's page names its school and tells when to visit and how to apply."""
    offering = sector["cap"]
    open_day = EventFactory(open_day=True, organisation=offering.organisation)
    open_day.offerings.add(offering)
    response = client.get(offering.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert offering.organisation.name in body
    assert open_day.title in body
    assert "Vœux sur Affelnet." in body


def test_unpublished_offering_page_is_404_for_visitors(client):
    """A hidden offering does not exist for the public."""
    offering = OfferingFactory(unpublished=True)
    assert client.get(offering.get_absolute_url()).status_code == 404


def test_certification_page_lists_where_to_train(client, sector):
    """A certification's page lists its published offerings and its codes."""
    certification = sector["cap"].certification
    unpublished = OfferingFactory(certification=certification, unpublished=True)
    response = client.get(certification.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<li class="result">') == 1
    assert f'href="{sector["cap"].get_absolute_url()}"' in body
    assert f'href="{unpublished.get_absolute_url()}"' not in body
    assert "243" in body and "B1802" in body


def test_certification_without_offering_still_has_a_page(client):
    """A certification is reference data: its page exists without any offering."""
    certification = CertificationFactory(title="CAP Cordonnier bottier")
    response = client.get(certification.get_absolute_url())
    assert response.status_code == 200
    assert "Aucun établissement" in response.content.decode()


def test_certification_page_names_its_codes_and_source(client):
    """An imported certification shows its diploma code and its source's licence (ODbL)."""
    certification = CertificationFactory(
        title="CAP maroquinerie",
        cfd_code="50024323",
        onisep_id="FOR.9902",
        source="ONISEP, Idéo",
        source_licence="ODbL",
    )
    body = client.get(certification.get_absolute_url()).content.decode()
    assert "<dt>Code diplôme (CFD)</dt><dd>50024323</dd>" in body
    assert "Source : ONISEP, Idéo — licence ODbL." in body


def test_filtering_with_htmx_leaves_the_page_a_reload_shows(client, sector):
    """The htmx swap of the filtered results gives the page a full load of the pushed URL gives."""
    swapped, response = assert_filter_swap(
        client, CATALOGUE, {"q": "cap", "voie": "scolaire"}
    )
    assert response.status_code == 200
    assert "formation trouvée" in str(swapped.select_one("#results-count"))


def test_a_filter_error_swapped_with_htmx_shows_as_a_reload_does(client, sector):
    """A 400 filter error is swapped in with its French message, as a full load shows it."""
    swapped, response = assert_filter_swap(client, CATALOGUE, {"rayon": "9999"})
    assert response.status_code == 400
    assert "La distance est limitée à 200 km." in str(swapped.select_one("#results"))


@pytest.mark.parametrize("url", [CATALOGUE, reverse("trainings:map_data")])
def test_public_pages_refuse_writes(client, url):
    """The catalogue and the map data only answer GET."""
    assert client.post(url, {"q": "cap"}).status_code == 405


def test_count_is_capped_and_says_so(client, sector, monkeypatch):
    """Past the cap the catalogue says "plus de" and keeps paginating up to it."""
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    response = client.get(CATALOGUE)
    assert response.context["page"].paginator.count == 3
    assert "Plus de 3 formations trouvées" in response.content.decode()
    assert "Plus de" not in client.get(CATALOGUE, {"q": "cap"}).content.decode()


@pytest.mark.parametrize("cap", [3, 10])
def test_a_page_sorted_from_the_matches_ids_is_the_same_page(sector, monkeypatch, cap):
    """`by_ids` (PostgreSQL searches) reads the matches' ids first: under the cap the
    page is sorted from them, past it the walk in order is kept; the page, its
    order and the count are those of the plain paginator."""
    monkeypatch.setattr(CappedPaginator, "cap", cap)
    results = Offering.objects.published().order_by("title", "pk")
    plain = CappedPaginator(results, 2).get_page(1)
    by_ids = CappedPaginator(results, 2, by_ids=True).get_page(1)
    assert list(by_ids) == list(plain) and len(by_ids) == 2
    assert by_ids.paginator.count == plain.paginator.count
    assert by_ids.paginator.truncated == plain.paginator.truncated
    assert by_ids.paginator.truncated == (results.count() > cap)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the ids first on PostgreSQL only"
)
def test_a_postgresql_search_with_few_matches_sorts_them_from_their_ids(client, sector):
    """No title-order walk of the whole table for a search that finds little."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CATALOGUE, {"q": "cap maroquinerie"})
    assert response.status_code == 200
    pages = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "trainings_offering"') and "LIMIT 20" in q["sql"]
    ]
    assert pages and all('"trainings_offering"."id" IN (' in sql for sql in pages)


def test_tampered_offering_and_certification_addresses_are_404(client, sector):
    """Unknown ids and slugs answer 404, not an error page."""
    assert client.get("/formations/999999/").status_code == 404
    assert client.get("/formations/diplomes/n-existe-pas/").status_code == 404
    assert client.get("/formations/1%20OR%201=1/").status_code == 404


def test_campus_team_sees_an_unpublished_offering(client, sector):
    """The campus team reads hidden offerings, with a notice saying so."""
    hidden = OfferingFactory(unpublished=True)
    client.force_login(UserFactory(campus_team=True))
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "n'est pas publiée" in response.content.decode()
