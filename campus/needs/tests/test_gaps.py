"""The gap table, checked against a computation written from the fixtures alone."""

from collections import defaultdict

import pytest

from campus.needs.gaps import (
    COVERED,
    NEED_WITHOUT_OFFERING,
    OFFERING_WITHOUT_NEED,
    GapFilters,
    cached_gap_table,
    gap_map,
    gap_rows,
    summarise,
)
from campus.needs.models import Need
from campus.needs.tests.factories import NeedFactory
from campus.network.tests.factories import OrganisationFactory
from campus.places.models import Commune
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.trainings.models import Offering
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    doubs = DepartementFactory(code="25", name="Doubs")
    yonne = DepartementFactory(code="89", name="Yonne")
    return {
        "montbard": CommuneFactory(),
        "besancon": CommuneFactory(
            insee_code="25056", name="Besançon", postal_codes="25000", departement=doubs
        ),
        "auxerre": CommuneFactory(
            insee_code="89024", name="Auxerre", postal_codes="89000", departement=yonne
        ),
    }


def school(commune, **kwargs):
    return OrganisationFactory(school=True, commune=commune, **kwargs)


@pytest.fixture
def catalogue(places):
    cap = CertificationFactory(title="CAP Maroquinerie", rome_codes="B1802")
    bac = CertificationFactory(bac_pro=True, rome_codes="B1802, H2411")
    sellier = CertificationFactory(title="CAP Sellier-harnacheur", rome_codes="B1809")
    no_trade = CertificationFactory(dn_made=True)
    montbard = school(places["montbard"])
    besancon = school(places["besancon"])
    OfferingFactory(certification=cap, organisation=montbard, capacity=15)
    OfferingFactory(certification=cap, organisation=montbard, apprenticeship=True)
    OfferingFactory(
        certification=cap, organisation=besancon, continuing=True, capacity=8
    )
    OfferingFactory(certification=bac, organisation=besancon, capacity=24)
    OfferingFactory(certification=bac, organisation=besancon, capacity=12)
    OfferingFactory(certification=sellier, organisation=montbard, unpublished=True)
    OfferingFactory(
        certification=sellier, organisation=school(places["auxerre"], unpublished=True)
    )
    OfferingFactory(certification=no_trade, organisation=montbard)
    # A school without a known place: its offering cannot be set in a département.
    OfferingFactory(certification=cap, organisation=school(None))


@pytest.fixture
def needs(places):
    NeedFactory(headcount=6)  # B1802, 3, 21, apprenticeship
    NeedFactory(headcount=2, commune=places["besancon"])  # no apprenticeship in 25
    NeedFactory(permanent=True, rome_code="H2409", headcount=4)
    NeedFactory(
        skills_need=True, rome_code="B1802", level=3, commune=places["besancon"]
    )
    NeedFactory(in_progress=True, rome_code="B1809", commune=places["auxerre"])
    NeedFactory(met=True, rome_code="H2411", level=4, commune=places["besancon"])
    NeedFactory(dropped=True, headcount=9)


ROUTE_OF_NEED = {
    ("recruitment", "apprenticeship"): "apprenticeship",
    ("recruitment", "fixed_term"): "school",
    ("recruitment", "permanent"): "school",
    ("skills", ""): "continuing",
}


def expected_table():
    """The gap table computed row by row from the objects, without the service."""
    table = defaultdict(lambda: [0, 0, 0, 0])
    for need in Need.objects.select_related("commune__departement"):
        if need.status not in {"open", "in_progress"}:
            continue
        key = (
            need.rome_code,
            need.level,
            need.commune.departement.code,
            ROUTE_OF_NEED[(need.kind, need.contract)],
        )
        table[key][0] += 1
        table[key][1] += need.headcount
    for offering in Offering.objects.select_related(
        "certification", "organisation__commune__departement"
    ):
        organisation = offering.organisation
        if not (offering.is_published and organisation.is_published):
            continue
        if organisation.commune is None:
            continue
        for code in offering.certification.rome_codes.split(","):
            if not code.strip():
                continue
            key = (
                code.strip(),
                offering.certification.level,
                organisation.commune.departement.code,
                offering.route,
            )
            table[key][2] += 1
            table[key][3] += offering.capacity or 0
    return {key: tuple(values) for key, values in table.items()}


def as_table(rows):
    return {row.key: (row.needs, row.people, row.offerings, row.places) for row in rows}


def test_gap_table_matches_an_independent_computation(catalogue, needs):
    """Every row, and only those, with its counts of needs, people, offerings and places."""
    expected = expected_table()
    assert as_table(gap_rows(GapFilters())) == expected
    # The fixtures hold all three kinds of row.
    assert expected[("B1802", 3, "21", "apprenticeship")] == (1, 6, 1, 0)
    assert expected[("B1802", 3, "25", "apprenticeship")] == (1, 2, 0, 0)
    assert expected[("H2411", 4, "25", "school")] == (0, 0, 2, 36)
    assert expected[("B1802", 3, "25", "continuing")] == (1, 2, 1, 8)


def test_rows_are_ordered_and_say_which_side_is_missing(catalogue, needs):
    rows = gap_rows(GapFilters())
    assert [row.key for row in rows] == sorted(row.key for row in rows)
    gaps = {row.key: row.gap for row in rows}
    assert gaps[("H2409", 3, "21", "school")] == NEED_WITHOUT_OFFERING
    assert gaps[("B1802", 4, "25", "school")] == OFFERING_WITHOUT_NEED
    assert gaps[("B1802", 3, "21", "apprenticeship")] == COVERED


@pytest.mark.parametrize(
    "filters, keep",
    [
        (GapFilters(rome_code="B1802"), lambda key: key[0] == "B1802"),
        (GapFilters(level=4), lambda key: key[1] == 4),
        (GapFilters(departement_code="25"), lambda key: key[2] == "25"),
        (GapFilters(route="continuing"), lambda key: key[3] == "continuing"),
    ],
)
def test_each_filter_keeps_the_matching_rows_of_the_whole_table(
    catalogue, needs, filters, keep
):
    expected = {key: value for key, value in expected_table().items() if keep(key)}
    assert as_table(gap_rows(filters)) == expected


@pytest.mark.parametrize("gap", [NEED_WITHOUT_OFFERING, OFFERING_WITHOUT_NEED, COVERED])
def test_the_gap_filter_keeps_one_kind_of_row(catalogue, needs, gap):
    rows = gap_rows(GapFilters(gap=gap))
    assert rows and {row.gap for row in rows} == {gap}
    everything = [row for row in gap_rows(GapFilters()) if row.gap == gap]
    assert as_table(rows) == as_table(everything)


def test_summary_counts_needs_without_offering_and_offerings_without_need(
    catalogue, needs
):
    expected = expected_table()
    summary = summarise(gap_rows(GapFilters()))
    assert summary.needs_without_offering == sum(
        n for n, _p, o, _pl in expected.values() if not o
    )
    assert summary.people_without_offering == sum(
        p for _n, p, o, _pl in expected.values() if not o
    )
    assert summary.offerings_without_need == sum(
        o for n, _p, o, _pl in expected.values() if not n
    )


def expected_map():
    """The map's circles from the independent table: totals by département and
    kind of gap, at the mean position of the département's located communes."""
    circles = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (_code, _level, departement, _route), counts in expected_table().items():
        needs, _people, offerings, _places = counts
        if not offerings:
            gap = NEED_WITHOUT_OFFERING
        elif not needs:
            gap = OFFERING_WITHOUT_NEED
        else:
            gap = COVERED
        circle = circles[(departement, gap)]
        for index, value in enumerate(counts):
            circle[index] += value
        circle[4] += 1
    positions = defaultdict(list)
    for commune in Commune.objects.select_related("departement"):
        if commune.latitude is not None:
            positions[commune.departement.code].append(
                (commune.longitude, commune.latitude)
            )
    return {
        key: (
            tuple(values),
            [
                sum(point[0] for point in positions[key[0]]) / len(positions[key[0]]),
                sum(point[1] for point in positions[key[0]]) / len(positions[key[0]]),
            ],
        )
        for key, values in circles.items()
        if positions[key[0]]
    }


def as_map(collection):
    return {
        (feature["properties"]["departement"], feature["properties"]["gap"]): (
            (
                feature["properties"]["needs"],
                feature["properties"]["people"],
                feature["properties"]["offerings"],
                feature["properties"]["places"],
                feature["properties"]["lines"],
            ),
            feature["geometry"]["coordinates"],
        )
        for feature in collection["features"]
    }


def test_map_circles_match_an_independent_computation(catalogue, needs, places):
    """One circle per département and kind of gap, with the table's totals, at
    the mean position of the département's communes."""
    CommuneFactory(
        insee_code="25388",
        name="Montbéliard",
        departement=places["besancon"].departement,
        latitude=47.51,
        longitude=6.8,
    )
    collection = gap_map(cached_gap_table(GapFilters())[0], {"B1802": "Maroquinier"})
    expected = expected_map()
    assert as_map(collection).keys() == expected.keys()
    for key, (counts, coordinates) in as_map(collection).items():
        assert counts == expected[key][0]
        assert coordinates == pytest.approx(expected[key][1])
    assert expected[("25", NEED_WITHOUT_OFFERING)][0] == (1, 2, 0, 0, 1)
    assert collection["unplaced"] == 0


def test_map_popups_list_the_largest_rows_with_their_labels(catalogue, needs):
    collection = gap_map(cached_gap_table(GapFilters())[0], {"B1802": "Maroquinier"})
    circle = next(
        feature["properties"]
        for feature in collection["features"]
        if feature["properties"]["departement"] == "21"
        and feature["properties"]["gap"] == COVERED
    )
    assert circle["label"] == "Besoins et offres"
    assert circle["rows"][0] == {
        "trade": "Maroquinier",
        "rome_code": "B1802",
        "level": "Niveau 3 (CAP)",
        "route": "Apprentissage",
        "needs": 1,
        "people": 6,
        "offerings": 1,
        "places": 0,
    }


def test_map_counts_the_rows_of_a_departement_without_located_commune(needs):
    NeedFactory(
        commune=CommuneFactory(
            insee_code="58194",
            name="Nevers",
            departement=DepartementFactory(code="58", name="Nièvre"),
            latitude=None,
            longitude=None,
        )
    )
    collection = gap_map(cached_gap_table(GapFilters())[0], {})
    assert "58" not in {f["properties"]["departement"] for f in collection["features"]}
    assert collection["unplaced"] == 1
