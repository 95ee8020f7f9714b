"""The report's figures, checked against a computation of their own from the
test data."""

import datetime
from collections import Counter

import pytest

from campus.needs import services
from campus.needs.models import STEP_ORDER, ProjectStep, Step
from campus.needs.tests.factories import NeedFactory
from campus.network.models import KIND_LABELS, Organisation
from campus.network.tests.factories import OrganisationFactory
from campus.reports.sections import (
    SECTIONS,
    Period,
    calls_and_laureates,
    certifications_by_level,
    compute_section,
    events_by_kind,
    key_figures,
    mobilities_by_country,
    network_by_kind,
    new_partners,
    offerings_by_level_and_route,
    outreach_by_departement,
    platform_usage,
    trainings_opened,
)
from campus.trainings.models import Certification, Level
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def year_of(year):
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def as_dict(table, column=1):
    return {row[0]: row[column] for row in table.rows}


def test_the_sections_are_the_label_s_eleven_criteria():
    """One section per criterion of the arrêté, each with a unique slug."""
    assert len(SECTIONS) == 11
    assert len({s.slug for s in SECTIONS}) == 11
    assert SECTIONS[0].title == "Diagnostic socio-économique partagé"
    assert SECTIONS[-1].title == "Évaluation et démarche qualité"


def test_the_network_by_kind_matches_a_count_by_hand(activity):
    """Actors, partners at the start and end of the period, new partners, by kind."""
    period = year_of(activity)
    expected = {}
    for organisation in Organisation.objects.all():
        row = expected.setdefault(KIND_LABELS[organisation.kind], [0, 0, 0, 0])
        row[0] += 1
        if organisation.partnership_status not in ("partner", "founding"):
            continue
        since = organisation.partner_since
        row[1] += since is None or since < period.start
        row[2] += since is None or since <= period.end
        row[3] += since is not None and period.start <= since <= period.end
    table = network_by_kind(period)
    assert {row[0]: row[1:] for row in table.rows} == expected
    assert expected["Centre de formation d'apprentis (CFA)"] == [2, 1, 2, 1]


def test_new_partners_list_their_agreement(activity):
    table = new_partners(year_of(activity))
    assert len(table.rows) == 2
    assert [row[3] for row in table.rows] == ["CONV-2026-01", "—"]
    assert "dont 1 avec une convention" in table.summary


def test_certifications_and_offerings_by_level_and_route(activity):
    labels = dict(Level.choices)
    expected = Counter(labels[c.level] for c in Certification.objects.all())
    assert as_dict(certifications_by_level(year_of(activity))) == dict(expected)
    offerings = offerings_by_level_and_route(year_of(activity))
    assert len(offerings.rows) == 1
    header = [column.label for column in offerings.columns]
    row = dict(zip(header, offerings.rows[0], strict=True))
    assert row["Voie scolaire"] == 2
    assert row["Apprentissage"] == 1
    assert row["Total"] == 3


def test_outreach_counts_visits_classes_and_pupils_by_departement(activity):
    """Two classes of one school on one day are one intervention; pupils reached
    replace the expected count when recorded; last year's are left out."""
    table = outreach_by_departement(year_of(activity))
    by_name = {row[0]: row[1:] for row in table.rows}
    assert by_name["Doubs (25)"] == [1, 2, 50]
    assert by_name["Côte-d'Or (21)"] == [1, 1, 28]
    assert by_name["Ensemble de la région"] == [2, 3, 78]


def test_events_count_published_ones_and_confirmed_places(activity):
    table = events_by_kind(year_of(activity))
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Atelier découverte"] == [1, 5, 2]
    assert rows["Portes ouvertes"] == [1, 0, 0]
    assert len(rows) == 2


def test_calls_count_submitted_applications_and_laureates(activity):
    table = calls_and_laureates(year_of(activity))
    assert table.rows == [["Prix de l'innovation (Appel à projets)", 3, 1]]


def test_mobilities_by_country_of_the_period(activity):
    assert as_dict(mobilities_by_country(year_of(activity))) == {
        "Italie": 2,
        "Espagne": 1,
    }


def test_areas_without_data_say_so(activity):
    """No training project and no platform booked: empty tables that say so."""
    assert trainings_opened(year_of(activity)).rows == []
    assert platform_usage(year_of(activity)).rows == []
    assert trainings_opened(year_of(activity)).empty


def _project(title, needs, team, *, steps, certification=None, offering=None):
    """A project taken through the services up to its last dated step."""
    project = services.open_project(
        needs, title=title, kind="new_training", acting_user=team, today=steps[0]
    )
    ProjectStep.objects.filter(project=project).update(reached_on=steps[0])
    today = max(steps)
    for step, reached_on in zip(STEP_ORDER[1:], steps[1:], strict=False):
        services.record_step(
            project,
            step,
            reached_on,
            acting_user=team,
            certification=certification if step == Step.CERTIFICATION_CHOSEN else None,
            today=today,
        )
    if offering:
        services.link_offering(project, offering, acting_user=team)
    return project


def test_trainings_opened_lists_openings_then_projects_in_progress(
    activity, team_member
):
    """Projects whose training opened in the period, then those still in progress
    with the step reached by the period's end; one opened the year before is left out."""
    year = activity
    d = datetime.date
    licence = CertificationFactory(title="Licence pro Mode", rncp_code="RNCP30123")
    school = OrganisationFactory(name="Lycée Huisselets", school=True)
    offering = OfferingFactory(certification=licence, organisation=school)
    old_offering = OfferingFactory(certification=licence)
    montbard = NeedFactory(commune__insee_code="21425", commune__departement__code="21")
    besancon = NeedFactory(commune__insee_code="25056", commune__departement__code="25")
    opened_steps = [d(year - 1, 3, 1), d(year - 1, 6, 1), d(year - 1, 9, 1)]
    opened_steps += [d(year, 1, 10), d(year, 9, 1)]
    _project(
        "Licence pro en apprentissage",
        [montbard, besancon],
        team_member,
        steps=opened_steps,
        certification=licence,
        offering=offering,
    )
    old_steps = [d(year - 2, 1, 1), d(year - 2, 2, 1), d(year - 2, 3, 1)]
    old_steps += [d(year - 2, 4, 1), d(year - 1, 9, 1)]
    _project(
        "Ouverte l'an dernier",
        [NeedFactory()],
        team_member,
        steps=old_steps,
        certification=licence,
        offering=old_offering,
    )
    _project(
        "Session sertissage",
        [besancon_need := NeedFactory(commune=besancon.commune)],
        team_member,
        steps=[d(year, 2, 1), d(year, 4, 1)],
    )
    expected_in_progress = [
        "Session sertissage",
        "",
        "",
        besancon_need.departement_code,
        "",
        1,
        "Partenaires et établissement trouvés",
    ]
    table = trainings_opened(year_of(year))
    assert table.rows == [
        [
            "Licence pro en apprentissage",
            "Licence pro Mode",
            "Lycée Huisselets",
            ", ".join(sorted({montbard.departement_code, besancon.departement_code})),
            f"01/09/{year}",
            2,
            "Ouverte",
        ],
        expected_in_progress,
    ]
    for need in (montbard, besancon):
        need.refresh_from_db()
        assert need.status == "met"


def test_key_figures_keep_their_source(activity):
    table = key_figures(year_of(activity))
    assert table.rows[0][:2] == ["Salariés de la filière", 1234]
    assert table.rows[0][4] == "CMQ, présentation du campus"


def test_an_empty_period_gives_empty_tables_not_errors(activity):
    """A period with nothing keeps every table, empty, and freezes to JSON."""
    period = year_of(2001)
    for section in SECTIONS:
        for table in compute_section(section, period):
            assert table["title"]
            if table["title"] == "Nouveaux partenaires et conventions":
                assert table["rows"] == []
