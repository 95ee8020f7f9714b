import pytest
from django.urls import reverse

from campus.network.models import OrganisationKind, PartnershipStatus
from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile, SectorProfile
from campus.testing.htmx import assert_filter_swap

pytestmark = pytest.mark.django_db
URL = reverse("network:directory")


@pytest.fixture
def organisations():
    doubs = DepartementFactory(code="25", name="Doubs")
    montbeliard = CommuneFactory(
        insee_code="25388", name="Montbéliard", departement=doubs
    )
    return {
        "school": OrganisationFactory(
            name="Lycée Eugène Guillaume", kind=OrganisationKind.SECONDARY_SCHOOL
        ),
        "cfa": OrganisationFactory(
            name="CFA du Pays de Montbéliard",
            kind=OrganisationKind.CFA,
            commune=montbeliard,
            partnership_status=PartnershipStatus.PARTNER,
        ),
        "company": OrganisationFactory(name="Sellerie Œuvre & Cuir", kind="company"),
    }


def names(response):
    return {o.name for o in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("eugene", {"Lycée Eugène Guillaume"}),
        ("EUGÈNE guillaume", {"Lycée Eugène Guillaume"}),
        ("lycee", {"Lycée Eugène Guillaume"}),
        ("montbel", {"CFA du Pays de Montbéliard"}),
        ("oeuvre", {"Sellerie Œuvre & Cuir"}),
        (
            "  ",
            {
                "Lycée Eugène Guillaume",
                "CFA du Pays de Montbéliard",
                "Sellerie Œuvre & Cuir",
            },
        ),
        ("introuvable", set()),
    ],
)
def test_search_ignores_accents_case_and_finds_partial_words(
    client, organisations, query, expected
):
    """The search finds listings whatever the accents, the case or a partial word."""
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert names(response) == expected


def test_filters_are_carried_in_the_url(client, organisations):
    """Type, département and partner filters combine, and pagination keeps them."""
    response = client.get(URL, {"type": "cfa", "departement": "25", "partenaire": "on"})
    assert names(response) == {"CFA du Pays de Montbéliard"}
    assert "type=cfa" in response.context["query_string"]
    assert names(client.get(URL, {"type": "company"})) == {"Sellerie Œuvre & Cuir"}
    assert names(client.get(URL, {"departement": "21"})) == {
        "Lycée Eugène Guillaume",
        "Sellerie Œuvre & Cuir",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"type": "vaisseau-spatial"},
        {"departement": "99"},
        {"departement": "' OR 1=1 --"},
        {"q": "x" * 5000},
    ],
)
def test_unknown_filter_values_get_a_french_message_and_400(
    client, organisations, params
):
    """A tampered filter answers 400 with a French message, never a server error."""
    response = client.get(URL, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "erreur" in page and ("inconnu" in page or "trop longue" in page)


def test_filtering_with_htmx_leaves_the_page_a_reload_shows(client, organisations):
    """The htmx swap of the filtered results gives the page a full load of the pushed URL gives."""
    swapped, response = assert_filter_swap(
        client, URL, {"q": "montbel", "type": "cfa", "partenaire": True}
    )
    assert response.status_code == 200
    assert "1 acteur trouvé" in str(swapped.select_one("#results-count"))


def test_a_filter_error_swapped_with_htmx_shows_as_a_reload_does(client, organisations):
    """A 400 filter error is swapped in with its French message, as a full load shows it."""
    swapped, response = assert_filter_swap(client, URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert "La recherche est trop longue" in str(swapped.select_one("#results"))


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "'; DROP TABLE x; --", "%_\\"]
)
def test_hostile_queries_are_harmless(client, organisations, query):
    """Hostile search strings return an escaped page with no result."""
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client, organisations):
    """An htmx request receives the results fragment, the same as in the full page."""
    full = client.get(URL, {"q": "cfa"}).content.decode()
    fragment = client.get(
        URL, {"q": "cfa"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.strip().startswith('<section id="results"')
    assert "<html" not in fragment
    assert fragment.strip() in full


def test_pagination_is_bounded_and_tolerates_bad_pages(
    client, django_assert_max_num_queries
):
    """The directory lists 20 per page with a fixed number of queries; a bad page number is served."""
    OrganisationFactory.create_batch(45)
    # The sector profile's NAF codes make one of them (the activity filter).
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"page": "2"})
    assert len(response.context["page"].object_list) == 20
    assert client.get(URL, {"page": "abc"}).status_code == 200
    assert client.get(URL, {"page": "999"}).context["page"].number == 3


def test_page_links_carry_only_the_filters_in_use(client):
    """A form sent without JavaScript carries its empty fields; the links to the
    other pages keep only the filters in use, as the catalogue's do."""
    OrganisationFactory.create_batch(25, kind="company")
    response = client.get(URL, {"q": "", "type": "company", "departement": ""})
    assert "?type=company&amp;page=2" in response.content.decode()
    assert "q=&amp;" not in response.content.decode()


def test_departement_choices_are_the_campus_s(client, organisations):
    """The directory offers the départements of the campus's region, as the catalogue does."""
    region = organisations["cfa"].commune.departement.region
    DepartementFactory(code="39", name="Jura", region=region)
    CampusProfile.objects.create(region=region)
    choices = client.get(URL).context["filter"].form.fields["departement"].choices
    assert sorted(code for code, _ in choices if code) == ["21", "25", "39"]


@pytest.fixture
def companies():
    """Sirene companies of two activities, sizes and communes."""
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z, 1411Z").save()
    besancon = CommuneFactory(
        insee_code="25056", name="Besançon", departement=DepartementFactory(code="25")
    )
    OrganisationFactory(
        name="Maroquinerie A", kind="company", naf_code="15.12Z", size_band="11"
    )
    OrganisationFactory(
        name="Maroquinerie B",
        kind="company",
        naf_code="15.12Z",
        size_band="NN",
        commune=besancon,
    )
    OrganisationFactory(
        name="Chemiserie C", kind="company", naf_code="14.11Z", size_band="NN"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"activite": "15.12Z"}, {"Maroquinerie A", "Maroquinerie B"}),
        ({"activite": "14.11Z"}, {"Chemiserie C"}),
        ({"taille": "NN"}, {"Maroquinerie B", "Chemiserie C"}),
        ({"activite": "15.12Z", "taille": "11"}, {"Maroquinerie A"}),
        ({"commune": "25056"}, {"Maroquinerie B"}),
        ({"commune": "21425", "activite": "15.12Z"}, {"Maroquinerie A"}),
        ({"activite": "15.12Z", "departement": "25"}, {"Maroquinerie B"}),
        ({"commune": "2A004"}, set()),
    ],
)
def test_the_observatory_s_filters_find_the_same_companies(
    client, companies, query, expected
):
    """Activity, size band and commune narrow the directory as the figures count."""
    response = client.get(URL, query)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"activite": "47.11B"}, "Code NAF inconnu"),
        ({"activite": "x" * 500}, "Code NAF inconnu"),
        ({"taille": "ZZ"}, "Tranche d&#x27;effectif inconnue"),
        ({"commune": "<script>alert(1)</script>"}, "Code de commune inconnu"),
        ({"commune": "2150"}, "Code de commune inconnu"),
    ],
)
def test_a_bad_observatory_filter_is_a_french_400(client, companies, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.text
    assert "<script>alert" not in response.text


def test_each_request_gets_its_own_activities_and_partners(client, companies):
    """The filter form's class is built once (campus/filtersets.py): a sector
    changing its activities, and the partners filter, still apply per request."""
    assert client.get(URL, {"activite": "14.11Z"}).status_code == 200
    SectorProfile.objects.update(naf_codes="15.12Z")
    response = client.get(URL, {"activite": "14.11Z"})
    assert response.status_code == 400
    assert "Code NAF inconnu" in response.text
    OrganisationFactory(name="Partenaire D", partnership_status="partner")
    response = client.get(URL, {"activite": "", "partenaire": "on"})
    assert names(response) == {"Partenaire D"}
