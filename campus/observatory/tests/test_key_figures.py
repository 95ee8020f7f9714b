"""Key figures computed from the indicators beside the typed ones, and the team's
page of source freshness."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.observatory.forms import KeyFigureForm
from campus.observatory.freshness import months_before, source_freshness
from campus.observatory.key_figures import compute
from campus.observatory.models import IndicatorKey, KeyFigure, TerritoryLevel
from campus.observatory.tests.factories import IndicatorFactory, KeyFigureFactory
from campus.opendata.importers import urssaf
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile

pytestmark = pytest.mark.django_db

TEAM_PAGE = "/gestion/observatoire/"
# (key, NAF, commune, year, value), as the Urssaf importer stores them.
URSSAF_ROWS = [
    (IndicatorKey.SALARIED_HEADCOUNT, "15.12Z", "21425", 2021, 120),
    (IndicatorKey.SALARIED_HEADCOUNT, "15.12Z", "21425", 2022, 130),
    (IndicatorKey.SALARIED_HEADCOUNT, "15.12Z", "25056", 2022, 70),
    (IndicatorKey.SALARIED_HEADCOUNT, "32.13Z", "25056", 2022, 15),
    (IndicatorKey.SALARIED_HEADCOUNT, "47.71Z", "25056", 2022, 999),
]


def expected(naf_codes, communes_prefix="", year=None):
    rows = [
        r for r in URSSAF_ROWS if r[1] in naf_codes and r[2].startswith(communes_prefix)
    ]
    year = year or max(r[3] for r in rows)
    return sum(r[4] for r in rows if r[3] == year), year


@pytest.fixture
def campus():
    region = RegionFactory()
    cote_dor = DepartementFactory(region=region)
    doubs = DepartementFactory(code="25", name="Doubs", region=region)
    CommuneFactory(departement=cote_dor)
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z, 32.13Z").save()
    for key, naf, commune, year, value in URSSAF_ROWS:
        IndicatorFactory(
            key=key,
            naf_code=naf,
            territory_code=commune,
            year=year,
            value=Decimal(value),
            source=urssaf.SOURCE,
            source_licence=urssaf.LICENCE,
        )
    return CampusProfile.objects.create(region=region)


def seed_figure(**spec):
    return KeyFigureFactory(
        label="salariés de la filière (y compris bijouterie de sac)",
        value=Decimal(4500),
        period="2020/2021",
        source_label="CMQ, présentation du campus",
        **spec,
    )


@pytest.mark.parametrize(
    ("spec", "naf_codes", "prefix", "year"),
    [
        ({}, {"15.12Z", "32.13Z"}, "", None),
        ({"indicator_territory": "21"}, {"15.12Z", "32.13Z"}, "21", None),
        ({"indicator_territory": "25056"}, {"15.12Z", "32.13Z"}, "25056", None),
        ({"indicator_year": 2021}, {"15.12Z", "32.13Z"}, "", 2021),
        ({"indicator_naf_codes": "47.71Z"}, {"47.71Z"}, "", None),
    ],
)
def test_a_key_figure_sums_the_indicator_rows_of_its_spec(
    campus, spec, naf_codes, prefix, year
):
    figure = seed_figure(indicator_key=IndicatorKey.SALARIED_HEADCOUNT, **spec)
    total, year = expected(naf_codes, prefix, year)
    computed = compute(figure, campus)
    assert (computed.value, computed.year) == (total, year)
    assert computed.source == urssaf.SOURCE


def test_a_territory_s_own_row_is_read_before_its_communes(campus):
    IndicatorFactory(
        key=IndicatorKey.SALARIED_HEADCOUNT,
        naf_code="15.12Z",
        territory_level=TerritoryLevel.REGION,
        territory_code="27",
        year=2022,
        value=Decimal(4321),
        source=urssaf.SOURCE,
    )
    figure = seed_figure(
        indicator_key=IndicatorKey.SALARIED_HEADCOUNT, indicator_naf_codes="15.12Z"
    )
    assert compute(figure, campus).value == 4321


def test_offerings_are_summed_over_their_breakdown_and_dated_by_school_year(campus):
    for breakdown, value in [("3:school", 4), ("3:apprenticeship", 2), ("4:school", 1)]:
        IndicatorFactory(
            key=IndicatorKey.OFFERINGS,
            naf_code="",
            breakdown=breakdown,
            territory_level=TerritoryLevel.REGION,
            territory_code="27",
            year=2025,
            value=Decimal(value),
        )
    computed = compute(seed_figure(indicator_key=IndicatorKey.OFFERINGS), campus)
    assert (computed.value, computed.period) == (7, "2025-2026")


def test_without_spec_or_rows_nothing_is_computed(campus):
    assert compute(seed_figure(), campus) is None
    assert compute(seed_figure(indicator_key=IndicatorKey.CREATIONS), campus) is None


def test_the_home_shows_the_typed_figure_beside_the_computed_one(client, campus):
    finished = datetime(2026, 3, 14, 10, tzinfo=UTC)
    ImportRun.objects.create(
        source=ImportSource.URSSAF,
        file_name="urssaf.csv",
        licence=urssaf.LICENCE,
        attribution="Urssaf",
        status=ImportStatus.SUCCEEDED,
        finished_at=finished,
    )
    seed_figure(indicator_key=IndicatorKey.SALARIED_HEADCOUNT)
    total, year = expected({"15.12Z", "32.13Z"})
    page = client.get("/").text
    assert "4\u202f500" in page and "2020/2021" in page
    assert "Source : CMQ, présentation du campus" in page
    assert f"<strong>{total} salariés</strong> (Bourgogne-Franche-Comté, {year})" in (
        page
    )
    assert escape(urssaf.SOURCE) in page and "import du 14 mars 2026" in page


def test_the_home_shows_a_typed_figure_alone_when_nothing_is_computed(client, campus):
    seed_figure(indicator_key=IndicatorKey.CREATIONS)
    page = client.get("/").text
    assert "4\u202f500" in page
    assert "Calculé à partir des données ouvertes" not in page


@pytest.fixture
def team(client):
    client.force_login(UserFactory(campus_team=True))
    return client


def test_the_team_sees_both_figures_and_whether_they_differ(team, campus):
    seed_figure(indicator_key=IndicatorKey.SALARIED_HEADCOUNT)
    total, _ = expected({"15.12Z", "32.13Z"})
    KeyFigureFactory(
        label="salariés du 15.12Z en 2021",
        value=Decimal(120),
        indicator_key=IndicatorKey.SALARIED_HEADCOUNT,
        indicator_naf_codes="15.12Z",
        indicator_year=2021,
    )
    body = team.get(TEAM_PAGE).text
    assert "4\u202f500" in body and f"{total} salariés" in body
    assert body.count("Différents") == 1
    assert body.count("Identiques") == 1


def test_freshness_flags_sources_older_than_13_months_and_never_imported(campus):
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)

    def run(source, finished, **fields):
        ImportRun.objects.create(
            source=source,
            file_name="f.csv",
            licence="Licence Ouverte 2.0",
            attribution="x",
            status=fields.pop("status", ImportStatus.SUCCEEDED),
            finished_at=finished,
            **fields,
        )

    run(ImportSource.URSSAF, datetime(2025, 10, 29, tzinfo=UTC))
    run(ImportSource.SIRENE, datetime(2025, 11, 1, tzinfo=UTC))
    run(ImportSource.SIRENE, datetime(2025, 10, 1, tzinfo=UTC))
    # A failed run and a dry run do not make a source fresh.
    run(ImportSource.RNCP, now - timedelta(days=1), status=ImportStatus.FAILED)
    run(ImportSource.ROME, now - timedelta(days=1), dry_run=True)
    states = {row.source: row.state for row in source_freshness(now)}
    assert states[ImportSource.URSSAF] == "stale"
    assert states[ImportSource.SIRENE] == "fresh"
    assert states[ImportSource.RNCP] == "never"
    assert states[ImportSource.ROME] == "never"
    assert len(states) == len(ImportSource)


@pytest.mark.parametrize(
    ("moment", "expected_day"),
    [
        (datetime(2026, 11, 30, tzinfo=UTC), datetime(2025, 10, 30, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2025, 1, 15, tzinfo=UTC), datetime(2023, 12, 15, tzinfo=UTC)),
    ],
)
def test_thirteen_months_before(moment, expected_day):
    assert months_before(moment, 13) == expected_day


def test_the_team_page_lists_every_source_with_its_state(team, campus):
    ImportRun.objects.create(
        source=ImportSource.URSSAF,
        file_name="urssaf.csv",
        licence=urssaf.LICENCE,
        attribution="Urssaf",
        status=ImportStatus.SUCCEEDED,
        finished_at=timezone.now() - timedelta(days=500),
    )
    body = team.get(TEAM_PAGE).text
    for source in ImportSource:
        assert escape(source.label) in body
    assert "Plus de 13 mois" in body and "Jamais importée" in body


def test_the_back_office_home_links_the_observatory_page(team, campus):
    assert f'href="{TEAM_PAGE}"' in team.get("/gestion/").text


def test_anonymous_visitors_are_sent_to_log_in(client, campus):
    response = client.get(TEAM_PAGE)
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_a_partner_gets_a_404(client, campus):
    client.force_login(MembershipFactory().user)
    assert client.get(TEAM_PAGE).status_code == 404


def test_the_team_page_refuses_post(team, campus):
    assert team.post(TEAM_PAGE).status_code == 405


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"indicator_territory": "75"}, "indicator_territory", "75"),
        ({"indicator_territory": "<b>x</b>"}, "indicator_territory", "commune"),
        ({"indicator_territory": "x" * 11}, "indicator_territory", "caractères"),
        ({"indicator_naf_codes": "cuir"}, "indicator_naf_codes", "NAF"),
        ({"indicator_year": "-3"}, "indicator_year", ""),
        ({"indicator_key": "secret"}, "indicator_key", "valide"),
        (
            {"indicator_key": "", "indicator_year": "2022"},
            "indicator_key",
            "Choisissez l'indicateur",
        ),
    ],
)
def test_a_bad_indicator_spec_is_refused_in_french(campus, data, field, message):
    form = KeyFigureForm(
        data={
            "label": "salariés",
            "value": "4500",
            "period": "2020/2021",
            "source_label": "CMQ",
            "order": "1",
            "indicator_key": IndicatorKey.SALARIED_HEADCOUNT,
            **data,
        }
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert not KeyFigure.objects.exists()


def test_a_good_indicator_spec_is_saved(campus):
    form = KeyFigureForm(
        data={
            "label": "salariés",
            "value": "4500",
            "period": "2020/2021",
            "source_label": "CMQ",
            "order": "1",
            "indicator_key": IndicatorKey.SALARIED_HEADCOUNT,
            "indicator_territory": " 21 ",
            "is_published": "on",
        }
    )
    assert form.is_valid(), form.errors
    assert form.save().indicator_territory == "21"


def test_a_computed_only_figure_shows_its_computed_value_and_source(client, campus):
    KeyFigureFactory(
        label="salariés de la filière",
        value=None,
        period="",
        source_label="",
        indicator_key=IndicatorKey.SALARIED_HEADCOUNT,
        indicator_territory="21",
    )
    total, year = expected({"15.12Z", "32.13Z"}, "21")
    page = client.get("/").text
    assert f"salariés de la filière (Côte-d&#x27;Or (21)), {year}" in page
    assert f'<p class="key-figure__value">{total} ' in page
    assert f"Source : {escape(urssaf.SOURCE)}" in page


def test_a_computed_only_figure_with_nothing_computed_is_left_out(client, campus):
    KeyFigureFactory(
        label="créations de l'année",
        value=None,
        indicator_key=IndicatorKey.CREATIONS,
    )
    assert "créations de l" not in client.get("/").text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "", "indicator_key": ""}, "value"),
        ({"period": ""}, "period"),
        ({"source_label": ""}, "source_label"),
        ({"value": "beaucoup"}, "value"),
    ],
)
def test_a_typed_value_needs_its_period_and_source(campus, data, field):
    form = KeyFigureForm(
        data={
            "label": "salariés",
            "value": "4500",
            "period": "2020/2021",
            "source_label": "CMQ",
            "order": "1",
            **data,
        }
    )
    assert not form.is_valid()
    assert field in form.errors
