"""The open-data API: public fields only, published rows only, pages, caching, limits."""

import pytest
from django.urls import reverse

from campus.agenda.tests.factories import EventFactory
from campus.api.schemas import (
    LICENCE_OUVERTE,
    ODBL,
    Article,
    Certification,
    Event,
    Indicator,
    KeyFigure,
    KnowHow,
    Offer,
    Offering,
    Organisation,
    Trade,
    public_fields,
)
from campus.network.tests.factories import OrganisationFactory, PersonFactory
from campus.news.tests.factories import ArticleFactory
from campus.observatory.tests.factories import IndicatorFactory, KeyFigureFactory
from campus.offers.tests.factories import OfferFactory
from campus.trades.tests.factories import KnowHowFactory, TradeFactory
from campus.trainings.tests.factories import (
    CertificationFactory,
    OfferingFactory,
    SkillBlockFactory,
)

pytestmark = pytest.mark.django_db

# The public fields of each resource, written out: a new field is a decision.
EXPECTED_FIELDS = {
    Organisation: (
        "id slug nom sigle type type_libelle description adresse code_postal commune "
        "code_commune departement latitude longitude site_web siret uai code_naf "
        "tranche_effectif partenaire partenaire_depuis demo source licence_source url "
        "modifie_le"
    ),
    Certification: (
        "id slug intitule type_diplome type_diplome_libelle niveau code_rncp code_nsf "
        "code_cfd identifiant_onisep codes_rome description certificateurs "
        "blocs_competences demo source licence_source url"
    ),
    Offering: (
        "id certification intitule niveau type_diplome voie voie_libelle organisation "
        "commune code_commune departement latitude longitude duree dates_rentree "
        "inscriptions_du inscriptions_au comment_candidater places page_etablissement "
        "identifiant_onisep demo source licence_source url modifie_le"
    ),
    Trade: (
        "id slug nom resume description codes_rome metier_d_art domaine_metiers_art "
        "demo url"
    ),
    KnowHow: (
        "id slug nom description niveau_menace niveau_menace_libelle evalue_le "
        "metiers demo url"
    ),
    Event: (
        "id slug titre type type_libelle debut fin toute_la_journee lieu nom_du_lieu "
        "adresse commune code_commune latitude longitude organisateur en_bref "
        "description accessibilite gratuit tarif deroulement precisions_deroulement "
        "inscription places demo url modifie_le"
    ),
    Article: (
        "id slug titre chapeau texte publie_le rubriques organisation demo url "
        "modifie_le"
    ),
    Offer: (
        "id titre contrat contrat_libelle metier_rome certification niveau "
        "organisation commune code_commune departement latitude longitude debut "
        "duree_mois postes description candidater_en_ligne visible_jusqu_au "
        "publiee_le demo url"
    ),
    Indicator: (
        "id indicateur indicateur_libelle code_naf ventilation niveau_territoire "
        "code_territoire annee valeur source licence_source"
    ),
    KeyFigure: (
        "id intitule valeur unite periode territoire source adresse_source "
        "indicateur ordre demo"
    ),
}


def _published_and_hidden():
    """One published and one hidden row of each resource, with their API addresses:
    (list name, detail name, detail argument of the published, of the hidden, schema)."""
    organisation = OrganisationFactory(
        email="direction@atelier.example", phone="03 80 00 00 00", siret="", uai=""
    )
    PersonFactory(organisation=organisation, email="personne@atelier.example")
    hidden_organisation = OrganisationFactory(unpublished=True)
    certification = CertificationFactory()
    SkillBlockFactory(certification=certification)
    offering = OfferingFactory(organisation=organisation, certification=certification)
    hidden_offering = OfferingFactory(unpublished=True)
    trade, hidden_trade = TradeFactory(), TradeFactory(unpublished=True)
    know_how, hidden_know_how = KnowHowFactory(), KnowHowFactory(unpublished=True)
    event = EventFactory(organisation=organisation)
    hidden_event = EventFactory(submitted=True)
    article, hidden_article = ArticleFactory(), ArticleFactory(scheduled=True)
    offer, hidden_offer = OfferFactory(), OfferFactory(expired=True)
    indicator = IndicatorFactory()
    figure, hidden_figure = KeyFigureFactory(), KeyFigureFactory(unpublished=True)
    return [
        ("organisation_list", "organisation_detail", organisation.slug,
         hidden_organisation.slug, Organisation),
        ("certification_list", "certification_detail", certification.slug,
         "inconnue", Certification),
        ("offering_list", "offering_detail", offering.pk, hidden_offering.pk, Offering),
        ("trade_list", "trade_detail", trade.slug, hidden_trade.slug, Trade),
        ("know_how_list", "know_how_detail", know_how.slug, hidden_know_how.slug,
         KnowHow),
        ("event_list", "event_detail", event.slug, hidden_event.slug, Event),
        ("article_list", "article_detail", article.slug, hidden_article.slug, Article),
        ("offer_list", "offer_detail", offer.pk, hidden_offer.pk, Offer),
        ("indicator_list", "indicator_detail", indicator.pk, 0, Indicator),
        ("key_figure_list", "key_figure_detail", figure.pk, hidden_figure.pk,
         KeyFigure),
    ]  # fmt: skip


def test_every_record_carries_exactly_its_public_fields(client):
    """Each list and detail serialises exactly the fields of its PUBLIC list, and no
    e-mail or telephone number of the test data appears anywhere."""
    for list_name, detail_name, public, _, schema in _published_and_hidden():
        assert public_fields(schema) == tuple(EXPECTED_FIELDS[schema].split())
        listed = client.get(reverse(f"api:v1:{list_name}"))
        detail = client.get(reverse(f"api:v1:{detail_name}", args=[public]))
        assert listed.status_code == detail.status_code == 200, list_name
        records = listed.json()["donnees"]
        assert records, list_name
        assert all(tuple(record) == public_fields(schema) for record in records)
        assert tuple(detail.json()["donnee"]) == public_fields(schema)
        for body in (listed.content, detail.content):
            assert b"@atelier.example" not in body
            assert b"03 80 00" not in body


def test_unpublished_records_never_appear(client):
    """A hidden row (unpublished, submitted, scheduled, expired) is in no list and its
    detail address answers 404 with a French message."""
    for list_name, detail_name, _, hidden, _ in _published_and_hidden():
        listed = client.get(reverse(f"api:v1:{list_name}"))
        ids = {(r.get("slug"), r["id"]) for r in listed.json()["donnees"]}
        assert all(hidden not in pair for pair in ids), list_name
        response = client.get(reverse(f"api:v1:{detail_name}", args=[hidden]))
        assert response.status_code == 404, detail_name
        assert response.json()["detail"] == "Aucune donnée publiée à cette adresse."


def test_an_organisation_hidden_hides_its_offerings_events_and_offers(client):
    organisation = OrganisationFactory(unpublished=True)
    OfferingFactory(organisation=organisation)
    EventFactory(organisation=organisation)
    OfferFactory(organisation=organisation)
    for name in ("offering_list", "event_list", "offer_list"):
        assert client.get(reverse(f"api:v1:{name}")).json()["donnees"] == []


def test_envelope_says_licence_and_source(client, settings):
    CertificationFactory(title="Commune", source="", source_licence="")
    body = client.get(reverse("api:v1:certification_list")).json()
    assert body["licence"] == LICENCE_OUVERTE
    assert settings.CAMPUS_SITE_URL in body["source"]
    assert body["suivant"] is None
    CertificationFactory(source="ONISEP", source_licence="ODbL")
    body = client.get(reverse("api:v1:certification_list")).json()
    assert body["licence"] == ODBL
    assert "ONISEP" in body["source"]


def test_certifications_carry_their_skill_blocks_in_order(client):
    certification = CertificationFactory()
    SkillBlockFactory(certification=certification, order=2, title="Second")
    SkillBlockFactory(certification=certification, order=1, title="Premier")
    record = client.get(
        reverse("api:v1:certification_detail", args=[certification.slug])
    ).json()["donnee"]
    assert [b["intitule"] for b in record["blocs_competences"]] == [
        "Premier",
        "Second",
    ]
    assert record["blocs_competences"][0]["competences"] == [
        "Couper les pièces à la main",
        "Assembler par piqûre machine",
    ]


# Filters: the site's parameters.


def test_offerings_take_the_catalogue_filters(client):
    OfferingFactory(apprenticeship=True)
    OfferingFactory()
    response = client.get(reverse("api:v1:offering_list"), {"voie": "apprenticeship"})
    assert [r["voie"] for r in response.json()["donnees"]] == ["apprenticeship"]


def test_organisations_take_the_directory_filters(client):
    OrganisationFactory(name="Sellerie Dupont")
    OrganisationFactory(name="Ébénisterie Martin")
    response = client.get(reverse("api:v1:organisation_list"), {"q": "sellerie"})
    assert [r["nom"] for r in response.json()["donnees"]] == ["Sellerie Dupont"]


def test_an_invalid_filter_is_a_400_in_french(client):
    OfferingFactory()
    response = client.get(reverse("api:v1:offering_list"), {"niveau": "99"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Paramètres de recherche invalides."
    assert "niveau" in body["erreurs"]


@pytest.mark.parametrize(
    "query", [{"limite": "0"}, {"limite": "201"}, {"limite": "dix"}, {"annee": "x"}]
)
def test_invalid_parameters_are_a_400_in_french_not_a_422(client, query):
    response = client.get(reverse("api:v1:indicator_list"), query)
    assert response.status_code == 400
    assert response.json()["detail"] == "Paramètres invalides."
    assert list(response.json()["erreurs"]) == list(query)


def test_indicators_filter_on_their_dimensions(client):
    IndicatorFactory(year=2020)
    IndicatorFactory(year=2021)
    response = client.get(reverse("api:v1:indicator_list"), {"annee": 2021})
    assert [r["annee"] for r in response.json()["donnees"]] == [2021]


# Pages.


def test_the_cursor_walks_every_row_once_in_a_stable_order(client):
    created = sorted(
        (TradeFactory(name=name) for name in ["b", "a", "c", "a", "e"]),
        key=lambda trade: (trade.name, trade.pk),
    )
    url, seen = reverse("api:v1:trade_list") + "?limite=2", []
    while url:
        body = client.get(url).json()
        seen += [record["id"] for record in body["donnees"]]
        url = body["suivant"]
    assert seen == [trade.pk for trade in created]


def test_descending_lists_page_on_their_date(client):
    articles_made = [ArticleFactory() for _ in range(3)]
    first = client.get(reverse("api:v1:article_list"), {"limite": 2}).json()
    second = client.get(first["suivant"]).json()
    ids = [r["id"] for r in first["donnees"] + second["donnees"]]
    assert sorted(ids) == sorted(a.pk for a in articles_made)
    assert len(set(ids)) == 3 and second["suivant"] is None


def test_the_next_address_keeps_the_filters(client):
    for _ in range(3):
        OfferingFactory(apprenticeship=True)
    body = client.get(
        reverse("api:v1:offering_list"), {"voie": "apprenticeship", "limite": 1}
    ).json()
    assert "voie=apprenticeship" in body["suivant"]
    assert body["suivant"].startswith("http")


@pytest.mark.parametrize("cursor", ["abc", "W10:1abc:def", "x" * 500])
def test_a_tampered_cursor_is_a_400_in_french(client, cursor):
    response = client.get(reverse("api:v1:trade_list"), {"curseur": cursor})
    assert response.status_code == 400
    assert "curseur" in response.json()["detail"]


def test_a_cursor_of_another_list_is_refused(client):
    TradeFactory.create_batch(2)
    KnowHowFactory.create_batch(2)
    following = client.get(reverse("api:v1:trade_list"), {"limite": 1}).json()
    cursor = following["suivant"].split("curseur=")[1]
    response = client.get(reverse("api:v1:know_how_list") + f"?curseur={cursor}")
    assert response.status_code == 400


# Caching, CORS and rate limits.


def test_responses_carry_etag_and_last_modified_and_answer_304(client):
    TradeFactory()
    url = reverse("api:v1:trade_list")
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag and modified
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    TradeFactory()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_cors_allows_any_site_to_read_without_credentials(client):
    response = client.get(
        reverse("api:v1:trade_list"), headers={"Origin": "https://example.org"}
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        reverse("api:v1:trade_list"),
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


def test_cors_stays_off_the_rest_of_the_site(client):
    response = client.get("/", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in response


def test_head_answers_like_get_without_a_body(client):
    TradeFactory()
    response = client.head(reverse("api:v1:trade_list"))
    assert response.status_code == 200
    assert response.content == b""


def test_the_rate_limit_answers_429_in_french_with_retry_after(client, settings):
    settings.CAMPUS_API_RATE = "3/m"
    url = reverse("api:v1:trade_list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "3 requêtes par minute" in response.json()["detail"]
    other = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_post_is_refused(client):
    response = client.post(reverse("api:v1:trade_list"))
    assert response.status_code == 405


# Documentation.


def test_openapi_schema_is_3_1_and_documents_errors(client):
    schema = client.get(reverse("api:v1:openapi-json")).json()
    assert schema["openapi"].startswith("3.1")
    operations = [
        operation for path in schema["paths"].values() for operation in path.values()
    ]
    assert len(operations) == 20
    for operation in operations:
        assert {"200", "400", "429"} <= set(operation["responses"])


def test_documentation_page_lists_every_resource_with_examples(client):
    trade = TradeFactory()
    response = client.get(reverse("api:documentation"))
    assert response.status_code == 200
    content = response.content.decode()
    for name in [
        "organisation_list", "certification_list", "offering_list", "trade_list",
        "know_how_list", "event_list", "article_list", "offer_list",
        "indicator_list", "key_figure_list",
    ]:  # fmt: skip
        assert reverse(f"api:v1:{name}") in content
    assert "Licence Ouverte 2.0" in content and "ODbL" in content
    assert "curl" in content
    assert reverse("api:v1:trade_detail", args=[trade.slug]) in content


def test_swagger_ui_is_served_from_the_site_without_a_cdn(client):
    response = client.get(reverse("api:v1:openapi-view"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn" not in content.lower()


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/v1/actualites", {"rubrique": "a\x00b"}),
        ("/api/v1/indicateurs", {"code_naf": "\x00"}),
        ("/api/v1/formations", {"q": "cuir\x00"}),
    ],
)
def test_a_nul_character_is_a_400_not_a_500(client, path, query):
    """PostgreSQL refuses NUL in a comparison: the API refuses it first."""
    assert client.get(path, query).status_code == 400


def test_a_nul_character_in_a_detail_address_is_a_404(client):
    assert client.get("/api/v1/metiers/a%00b").status_code == 404


@pytest.mark.parametrize(
    "name, factory",
    [
        ("offering_list", OfferingFactory),
        ("organisation_list", OrganisationFactory),
        ("event_list", EventFactory),
        ("article_list", ArticleFactory),
        ("offer_list", OfferFactory),
        ("certification_list", CertificationFactory),
        ("know_how_list", KnowHowFactory),
    ],
)
def test_a_list_costs_the_same_queries_for_2_or_6_rows(client, name, factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(f"api:v1:{name}")
    counts = []
    for _ in range(2):
        factory.create_batch(2 if not counts else 4)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_cache_leaves_the_api_its_304s_and_limits(client, settings):
    """With the anonymous page cache on, the API still counts each request and
    answers If-None-Match itself."""
    settings.CAMPUS_PAGE_CACHE_SECONDS = 60
    settings.CAMPUS_API_RATE = "3/m"
    TradeFactory()
    url = reverse("api:v1:trade_list")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429
