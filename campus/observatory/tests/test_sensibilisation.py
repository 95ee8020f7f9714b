"""The awareness figures, computed here from the fixture's interventions and
compared with the downloads; and the recomputation queued after an outcome."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from campus.accounts.tests.factories import UserFactory
from campus.observatory.aggregates import departement_of_school, refresh_observatory
from campus.observatory.models import Indicator, IndicatorKey
from campus.observatory.themes import sensibilisation
from campus.outreach.models import RequestStatus
from campus.outreach.services import record_outcome
from campus.outreach.tests.factories import InterventionRequestFactory
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile

pytestmark = pytest.mark.django_db

# (school, UAI, town, held on, pupils reached, pupil count, status)
INTERVENTIONS = [
    # 2024-2025, Côte-d'Or: two classes of one school on one day, one visit.
    ("Collège Buffon", "0210017D", "Montbard", date(2024, 10, 3), 24, 26, "done"),
    ("Collège Buffon", "0210017D", "Montbard", date(2024, 10, 3), 22, 25, "done"),
    # 2024-2025, Doubs known by its town only; pupils reached not noted.
    ("Lycée Pergaud", "", "Besançon", date(2025, 3, 12), None, 30, "done"),
    # 2025-2026 (from 1 September), Côte-d'Or by UAI although the town is vague.
    ("Collège Buffon", "0210017D", "Mtbard", date(2025, 9, 1), 20, 20, "done"),
    # A town the campus doesn't know: counted in the région only.
    ("École du Val", "", "Ailleurs", date(2025, 11, 5), 18, 18, "done"),
    # Not done: never counted.
    ("Collège Stendhal", "0250001A", "Besançon", None, None, 28, "scheduled"),
]
DEPARTEMENT = {"Montbard": "21", "Mtbard": "21", "Besançon": "25", "Ailleurs": ""}


def school_year(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def expected_by_year(departements):
    figures = {}
    for school, _uai, town, held_on, reached, count, status in INTERVENTIONS:
        if status != "done":
            continue
        departement = DEPARTEMENT[town]
        if departements is not None and departement not in departements:
            continue
        year = figures.setdefault(school_year(held_on), [set(), 0, 0])
        year[0].add((school, held_on))
        year[1] += 1
        year[2] += reached if reached is not None else count
    return {
        year: [str(len(visits)), str(classes), str(pupils)]
        for year, (visits, classes, pupils) in figures.items()
    }


@pytest.fixture
def campus():
    region = RegionFactory()
    cote_dor = DepartementFactory(region=region)
    doubs = DepartementFactory(code="25", name="Doubs", region=region)
    CommuneFactory(departement=cote_dor)
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    for school, uai, town, held_on, reached, count, status in INTERVENTIONS:
        InterventionRequestFactory(
            school_name=school,
            school_uai=uai,
            school_town=town,
            held_on=held_on,
            pupils_reached=reached,
            pupil_count=count,
            status=status,
        )
    return CampusProfile.objects.create(region=region)


def csv_rows(client, path, territoire=""):
    response = client.get(path, {"territoire": territoire} if territoire else {})
    assert response.status_code == 200
    lines = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    header = next(
        i
        for i, line in enumerate(lines)
        if line and line[0] in {"Année scolaire", "Département"}
    )
    return {line[0]: line[1:] for line in lines[header + 1 :] if line}


@pytest.mark.parametrize(
    ("territoire", "departements"), [("", None), ("21", {"21"}), ("25", {"25"})]
)
def test_by_school_year_counts_visits_classes_and_pupils(
    client, campus, territoire, departements
):
    refresh_observatory()
    assert csv_rows(
        client, "/observatoire/sensibilisation/par-annee.csv", territoire
    ) == expected_by_year(departements)


def test_by_departement_shows_the_latest_year_and_the_unlocated_rest(client, campus):
    refresh_observatory()
    rows = csv_rows(client, "/observatoire/sensibilisation/par-departement.csv")
    region = expected_by_year(None)["2025-2026"]
    cote_dor = expected_by_year({"21"})["2025-2026"]
    assert rows == {
        "Côte-d'Or (21)": cote_dor,
        "Département non identifié": [
            str(int(r) - int(c)) for r, c in zip(region, cote_dor, strict=True)
        ],
    }


def test_a_commune_is_asked_to_choose_a_departement(client, campus):
    refresh_observatory()
    response = client.get("/observatoire/sensibilisation/", {"territoire": "21425"})
    assert response.status_code == 200
    assert escape(sensibilisation.COMMUNE_MESSAGE) in response.text


def test_without_outcomes_the_page_says_what_is_missing(client, campus):
    response = client.get("/observatoire/sensibilisation/")
    assert response.status_code == 200
    assert escape(sensibilisation.MISSING) in response.text


@pytest.mark.parametrize(
    ("uai", "town", "expected"),
    [
        ("0210017D", "", "21"),
        ("0251234a", "Paris", "25"),
        ("6200001X", "", "2A"),
        ("7200001X", "", "2B"),
        ("9740001X", "", "974"),
        ("", "MONTBARD", "21"),
        ("", "Besancon", "25"),
        ("123", "Nulle part", ""),
        ("<script>", "' OR 1=1", ""),
    ],
)
def test_a_school_s_departement_comes_from_its_uai_or_its_town(uai, town, expected):
    towns = {"montbard": "21", "besancon": "25"}
    assert departement_of_school(uai, town, towns) == expected


def test_recording_an_outcome_queues_the_recomputation(
    campus, run_tasks, django_capture_on_commit_callbacks
):
    Indicator.objects.all().delete()
    request = InterventionRequestFactory(
        status=RequestStatus.SCHEDULED, school_uai="0250001A"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_outcome(
            request,
            held_on=date(2026, 1, 15),
            pupils_reached=27,
            artisans_involved=1,
            outcome="Atelier de couture.",
            acting_user=UserFactory(campus_team=True),
        )
    run_tasks()
    assert (
        Indicator.objects.get(
            key=IndicatorKey.PUPILS_REACHED,
            territory_level="departement",
            territory_code="25",
            year=2025,
        ).value
        == 27
    )


def test_the_awareness_page_costs_the_same_queries_whatever_the_interventions(
    client, campus, django_assert_num_queries
):
    refresh_observatory()
    client.get("/observatoire/sensibilisation/")
    with CaptureQueriesContext(connection) as first:
        client.get("/observatoire/sensibilisation/")
    InterventionRequestFactory.create_batch(
        4, status="done", held_on=date(2023, 5, 2), school_town="Besançon"
    )
    refresh_observatory()
    with django_assert_num_queries(len(first)):
        client.get("/observatoire/sensibilisation/")
