"""The training figures, computed here from the fixture's list of offerings and
compared with the pages and downloads."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from campus.network.tests.factories import OrganisationFactory
from campus.observatory.aggregates import refresh_observatory, school_year_label
from campus.observatory.key_figures import stored
from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    OfferedCertification,
    TerritoryLevel,
)
from campus.observatory.tasks import refresh_after_import
from campus.observatory.tests.factories import IndicatorFactory, KeyFigureFactory
from campus.observatory.themes import formation
from campus.opendata.models import ImportSource
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile
from campus.testing.tasks import task_results
from campus.trainings.models import Certification, DiplomaType, Offering, Route
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db

COMMUNES = {
    "21425": ("Montbard", "21"),
    "21231": ("Dijon", "21"),
    "25056": ("Besançon", "25"),
    "75056": ("Paris", "75"),
}
CERTIFICATIONS = {
    "cap": ("CAP Maroquinerie", DiplomaType.CAP, 3),
    "bac": ("Bac pro Métiers du cuir", DiplomaType.BAC_PRO, 4),
    "bts": ("BTS Métiers de la mode", DiplomaType.BTS, 5),
    "dnmade": ("DN MADe Matériaux", DiplomaType.DN_MADE, 6),
    "bma": ("BMA Ébéniste", DiplomaType.BMA, 4),
}
S, A, C = Route.SCHOOL, Route.APPRENTICESHIP, Route.CONTINUING
# (commune, certification, route, published). BTS is taught in Paris only, the
# BMA nowhere; one unpublished offering must never be counted.
OFFERINGS = [
    ("21425", "cap", S, True),
    ("21425", "cap", A, True),
    ("21425", "bac", S, True),
    ("21231", "cap", A, True),
    ("21231", "dnmade", S, True),
    ("21231", "bac", C, False),
    ("25056", "cap", S, True),
    ("25056", "bac", A, True),
    ("25056", "dnmade", C, True),
    ("75056", "bts", S, True),
    ("75056", "cap", A, True),
]
REGION = {"21", "25"}
ROUTES = [S, A, C]
LEVEL_LABELS = {
    3: "Niveau 3 (CAP)",
    4: "Niveau 4 (bac)",
    5: "Niveau 5 (bac + 2)",
    6: "Niveau 6 (bac + 3)",
}


def this_school_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def published_in(departements):
    return [
        (commune, cert, route)
        for commune, cert, route, published in OFFERINGS
        if published and COMMUNES[commune][1] in departements
    ]


@pytest.fixture
def campus():
    region = RegionFactory()
    departements = {
        "21": DepartementFactory(region=region),
        "25": DepartementFactory(code="25", name="Doubs", region=region),
        "75": DepartementFactory(
            code="75", name="Paris", region=RegionFactory(code="11", name="IdF")
        ),
    }
    communes = {
        code: CommuneFactory(
            insee_code=code, name=name, departement=departements[departement]
        )
        for code, (name, departement) in COMMUNES.items()
    }
    certifications = {
        key: CertificationFactory(title=title, diploma_type=diploma, level=level)
        for key, (title, diploma, level) in CERTIFICATIONS.items()
    }
    schools = {
        code: OrganisationFactory(school=True, commune=commune)
        for code, commune in communes.items()
    }
    for commune, cert, route, published in OFFERINGS:
        OfferingFactory(
            certification=certifications[cert],
            organisation=schools[commune],
            route=route,
            is_published=published,
        )
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z").save()
    return CampusProfile.objects.create(region=region)


def csv_rows(client, path, territoire=""):
    response = client.get(path, {"territoire": territoire} if territoire else {})
    assert response.status_code == 200
    lines = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    header = next(i for i, line in enumerate(lines) if line and line[0] in HEADERS)
    return [line for line in lines[header + 1 :] if line]


HEADERS = {"Niveau", "Département", "Commune", "Territoire", "Certification"}


@pytest.mark.parametrize(
    ("territoire", "departements"),
    [("", REGION), ("21", {"21"}), ("25", {"25"}), ("france", {"21", "25", "75"})],
)
def test_offerings_by_level_and_route_count_the_published_offerings(
    client, campus, territoire, departements
):
    refresh_observatory()
    offerings = published_in(departements)
    expected = {}
    for level in sorted({CERTIFICATIONS[cert][2] for _, cert, _ in offerings}):
        counts = [
            sum(
                1
                for _, cert, r in offerings
                if CERTIFICATIONS[cert][2] == level and r == route
            )
            for route in ROUTES
        ]
        expected[LEVEL_LABELS[level]] = [str(n) for n in [*counts, sum(counts)]]
    rows = csv_rows(client, "/observatoire/formation/offres-par-niveau.csv", territoire)
    assert {row[0]: row[1:] for row in rows} == expected


def test_a_commune_has_its_own_offering_counts(client, campus):
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/offres-par-niveau.csv", "21425")
    assert {row[0]: row[1:] for row in rows} == {
        "Niveau 3 (CAP)": ["1", "1", "0", "2"],
        "Niveau 4 (bac)": ["1", "0", "0", "1"],
    }


def test_offerings_by_departement_list_the_region_s_departements(client, campus):
    refresh_observatory()
    expected = {}
    for code, name in [("21", "Côte-d'Or"), ("25", "Doubs")]:
        offerings = published_in({code})
        counts = [sum(1 for *_, r in offerings if r == route) for route in ROUTES]
        expected[f"{name} ({code})"] = [str(n) for n in [*counts, sum(counts)]]
    rows = csv_rows(client, "/observatoire/formation/offres-par-departement.csv")
    assert {row[0]: row[1:] for row in rows} == expected
    page = client.get("/observatoire/formation/offres-par-departement/")
    assert 'href="/formations/?departement=21"' in page.text


def test_offerings_by_departement_over_france_include_paris(client, campus):
    refresh_observatory()
    rows = csv_rows(
        client, "/observatoire/formation/offres-par-departement.csv", "france"
    )
    assert {row[0]: row[-1] for row in rows} == {
        "Côte-d'Or (21)": "5",
        "Doubs (25)": "3",
        "Paris (75)": "2",
    }


def commune_counts(departements) -> dict[str, list[str]]:
    """Offerings by route and in all of each commune of these départements, from
    the fixture's list."""
    expected = {}
    for code, (name, departement) in COMMUNES.items():
        offerings = [o for o in published_in(departements) if o[0] == code]
        if departement in departements and offerings:
            counts = [sum(1 for *_, r in offerings if r == route) for route in ROUTES]
            expected[f"{name} ({code})"] = [str(n) for n in [*counts, sum(counts)]]
    return expected


def test_offerings_by_commune_of_a_departement_are_counted_and_mapped(client, campus):
    """A département's communes with offerings, by route, most first, each linked
    to the catalogue near it, and drawn on the map of the département's communes."""
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/offres-par-commune.csv", "21")
    assert {row[0]: row[1:] for row in rows} == commune_counts({"21"})
    assert [row[0] for row in rows] == ["Montbard (21425)", "Dijon (21231)"]
    page = client.get(
        "/observatoire/formation/offres-par-commune/", {"territoire": "21"}
    ).text
    assert 'href="/formations/?commune=21425"' in page
    assert "choropleth--communes" in page


def test_offerings_by_commune_of_the_region_have_no_map(client, campus):
    """Communes of several départements: the table alone; a commune's own page
    lists the communes of its département."""
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/offres-par-commune.csv")
    assert {row[0]: row[1:] for row in rows} == commune_counts(REGION)
    page = client.get("/observatoire/formation/offres-par-commune/").text
    assert "choropleth--communes" not in page
    rows = csv_rows(client, "/observatoire/formation/offres-par-commune.csv", "25056")
    assert {row[0] for row in rows} == {"Besançon (25056)"}


def test_apprenticeship_share_is_apprenticeship_over_all_offerings(client, campus):
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/part-apprentissage.csv")
    expected = {}
    for label, departements in [
        ("Bourgogne-Franche-Comté", REGION),
        ("Côte-d'Or (21)", {"21"}),
        ("Doubs (25)", {"25"}),
    ]:
        offerings = published_in(departements)
        part = sum(1 for *_, r in offerings if r == A)
        share = f"{100 * part / len(offerings):.1f}".replace(".", ",")
        expected[label] = [str(len(offerings)), str(part), share]
    assert {row[0]: row[1:] for row in rows} == expected
    page = client.get("/observatoire/formation/part-apprentissage/")
    assert "37,5 % des offres de formation se suivent en apprentissage" in page.text


def test_certifications_list_where_each_is_offered(client, campus):
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/certifications.csv", "21")
    offerings = published_in({"21"})
    expected = {}
    for key, (title, _, level) in CERTIFICATIONS.items():
        places = sorted(
            {COMMUNES[commune][0] for commune, cert, _ in offerings if cert == key}
        )
        if places:
            count = sum(1 for _, cert, _ in offerings if cert == key)
            expected[title] = [LEVEL_LABELS[level], str(count), ", ".join(places)]
    assert {row[0]: row[1:] for row in rows} == expected
    page = client.get("/observatoire/formation/certifications/?territoire=21")
    for certification in Certification.objects.filter(
        offerings__departement_code="21", offerings__is_published=True
    ).distinct():
        assert f'href="{certification.get_absolute_url()}"' in page.text


def test_certifications_without_offering_in_the_region(client, campus):
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/certifications-sans-offre.csv")
    # BTS: taught in Paris only (1 offering there); BMA: taught nowhere.
    assert {row[0]: row[1:] for row in rows} == {
        "BMA Ébéniste": ["Niveau 4 (bac)", "0"],
        "BTS Métiers de la mode": ["Niveau 5 (bac + 2)", "1"],
    }
    doubs = csv_rows(
        client, "/observatoire/formation/certifications-sans-offre.csv", "25"
    )
    assert {row[0] for row in doubs} == {"BMA Ébéniste", "BTS Métiers de la mode"}
    montbard = csv_rows(
        client, "/observatoire/formation/certifications-sans-offre.csv", "21425"
    )
    assert {row[0] for row in montbard} == {
        "BMA Ébéniste",
        "BTS Métiers de la mode",
        "DN MADe Matériaux",
    }


def offered_from_the_fixture(region_code):
    """(certification, level, code) → (published offerings, communes), from the
    fixture's list: France counts every offering and names no commune."""
    found = {}
    for commune, cert, _, published in OFFERINGS:
        if not published:
            continue
        name, departement = COMMUNES[commune]
        places = [("france", "FR")]
        if departement in REGION:
            places += [
                ("region", region_code),
                ("departement", departement),
                ("commune", commune),
            ]
        for level, code in places:
            count, names = found.get((CERTIFICATIONS[cert][0], level, code), (0, set()))
            found[(CERTIFICATIONS[cert][0], level, code)] = (count + 1, names | {name})
    return {
        key: (count, "" if key[1] == "france" else ", ".join(sorted(names)))
        for key, (count, names) in found.items()
    }


def stored_offered():
    return {
        (row.certification.title, row.territory_level, row.territory_code): (
            row.offerings,
            row.communes,
        )
        for row in OfferedCertification.objects.select_related("certification")
    }


def test_refresh_stores_where_each_certification_is_offered(campus):
    """Per certification and territory: its published offerings and their communes,
    the same after a second refresh."""
    refresh_observatory()
    assert stored_offered() == offered_from_the_fixture(campus.region.code)
    call_command("refresh_observatory", verbosity=0)
    assert stored_offered() == offered_from_the_fixture(campus.region.code)


def test_the_certification_lists_never_read_the_offerings(client, campus):
    """Both lists, and the theme that shows them, read the stored rows only."""
    refresh_observatory()
    with CaptureQueriesContext(connection) as queries:
        for path in [
            "/observatoire/formation/",
            "/observatoire/formation/certifications/",
            "/observatoire/formation/certifications-sans-offre/?territoire=21425",
        ]:
            assert client.get(path).status_code == 200
    assert not [q for q in queries.captured_queries if "trainings_offering" in q["sql"]]


def test_the_lists_follow_the_catalogue_at_the_next_refresh(client, campus):
    """An offering published since the last refresh shows once it has run again."""
    refresh_observatory()
    OfferingFactory(
        certification=Certification.objects.get(title="BTS Métiers de la mode"),
        organisation=Offering.objects.filter(commune__insee_code="25056")
        .first()
        .organisation,
    )
    path = "/observatoire/formation/certifications-sans-offre.csv"
    assert "BTS Métiers de la mode" in {row[0] for row in csv_rows(client, path)}
    refresh_observatory()
    assert {row[0]: row[1:] for row in csv_rows(client, path)} == {
        "BMA Ébéniste": ["Niveau 4 (bac)", "0"]
    }


def test_refresh_is_idempotent_and_keeps_earlier_school_years(campus):
    IndicatorFactory(
        key=IndicatorKey.OFFERINGS,
        naf_code="",
        breakdown="3:school",
        territory_level=TerritoryLevel.REGION,
        territory_code="27",
        year=2015,
        value=Decimal(4),
    )
    refresh_observatory()
    first = sorted(
        Indicator.objects.values_list(
            "key", "breakdown", "territory_level", "territory_code", "year", "value"
        )
    )
    call_command("refresh_observatory", verbosity=0)
    assert (
        sorted(
            Indicator.objects.values_list(
                "key", "breakdown", "territory_level", "territory_code", "year", "value"
            )
        )
        == first
    )
    assert Indicator.objects.filter(year=2015, value=4).exists()
    assert Indicator.objects.filter(year=this_school_year()).exists()


def test_the_figures_state_the_school_year(client, campus):
    refresh_observatory()
    year = this_school_year()
    page = client.get("/observatoire/formation/")
    assert page.status_code == 200
    assert f"Année scolaire {year}-{year + 1}" in page.text
    assert "Définition" in page.text


def test_without_offerings_the_page_says_which_import_is_missing(client, campus):
    response = client.get("/observatoire/formation/")
    assert response.status_code == 200
    assert escape(formation.MISSING) in response.text
    assert "offres-par-niveau.csv" not in response.text


def test_an_unpublished_school_hides_its_offerings_from_the_counts(client, campus):
    school = Offering.objects.filter(commune__insee_code="25056").first()
    school.organisation.is_published = False
    school.organisation.save()
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/formation/offres-par-departement.csv")
    assert "Doubs (25)" not in {row[0] for row in rows}


def test_definitions_of_training_are_in_the_glossary(client, campus):
    for slug in [
        "offres-de-formation",
        "part-apprentissage",
        "certifications-de-la-filiere",
    ]:
        response = client.get(f"/observatoire/definitions/{slug}/")
        assert response.status_code == 200
        assert "Licence" in response.text or "ODbL" in response.text


@pytest.mark.parametrize(
    ("source", "queued"),
    [
        (ImportSource.ONISEP_ACTIONS, 1),
        (ImportSource.LHEO, 1),
        (ImportSource.URSSAF, 0),
    ],
)
def test_a_catalogue_import_queues_the_recomputation(
    campus, django_capture_on_commit_callbacks, source, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        refresh_after_import(source)
    assert len(task_results()) == queued


def test_the_training_page_costs_the_same_queries_whatever_the_offerings(
    client, campus, django_assert_num_queries
):
    """The page reads stored counts and two short lists, not one query per row."""
    refresh_observatory()
    client.get("/observatoire/formation/")
    with CaptureQueriesContext(connection) as first:
        client.get("/observatoire/formation/")
    school = Offering.objects.filter(commune__insee_code="21231").first().organisation
    for certification in CertificationFactory.create_batch(3):
        OfferingFactory(certification=certification, organisation=school)
    refresh_observatory()
    with django_assert_num_queries(len(first)):
        client.get("/observatoire/formation/")


def test_a_long_certification_list_is_a_table_without_bars(client, campus, monkeypatch):
    refresh_observatory()
    page = "/observatoire/formation/certifications/"
    assert 'class="chart' in client.get(page).text
    monkeypatch.setattr(formation, "MAX_CHARTED_CERTIFICATIONS", 2)
    text = client.get(page).text
    assert 'class="chart' not in text and "<table" in text


def test_the_refresh_stores_the_offerings_key_figure_again(campus):
    """A key figure of the région's offerings follows the catalogue at each
    refresh of the aggregates."""
    refresh_observatory()
    figure = KeyFigureFactory(value=None, indicator_key=IndicatorKey.OFFERINGS)
    assert stored(figure).value == len(published_in(REGION))
    assert stored(figure).period == school_year_label(this_school_year())
    Offering.objects.filter(commune__insee_code="25056").update(is_published=False)
    refresh_observatory()
    figure.refresh_from_db()
    assert stored(figure).value == len(published_in({"21"}))
