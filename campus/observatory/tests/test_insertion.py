"""The insertion figures, checked against values read from the fixture files with
the csv module alone, never through the importer or the service."""

import csv
from collections import Counter
from decimal import Decimal

from campus.network.tests.factories import OrganisationFactory
from campus.observatory.insertion import (
    INDICATORS,
    insertion_by_school,
    regional_means,
)
from campus.observatory.tests.conftest import CFA, PRO
from campus.opendata.services import run_import
from campus.places.models import Region
from campus.trainings.models import InsertionOutcome, Route

REGION = "BOURGOGNE-FRANCHE-COMTE"
COLUMNS = {
    "employment_rate_6_months": "Taux",
    "further_study_rate": "Taux de poursuite d'études",
    "employment_value_added_6_months": "Valeur ajoutée",
}
POPULATIONS = {
    "": "ensemble",
    Route.SCHOOL: "dont élèves en voie pro sco",
    Route.APPRENTICESHIP: "dont apprentis",
}


def read(path):
    """Rows of a fixture as dicts, labels stripped of their trailing spaces."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream, delimiter=";")
        header = [label.strip() for label in next(reader)]
        return [dict(zip(header, row, strict=True)) for row in reader]


def cell(row, indicator):
    value = row[COLUMNS[indicator]]
    return None if value == "nd" else Decimal(value)


def expected_mean(rows, indicator):
    values = [cell(row, indicator) for row in rows if row["Région"] == REGION]
    diffused = [value for value in values if value is not None]
    return sum(diffused) / len(diffused), len(values) - len(diffused)


def lycee_rows(route):
    return [r for r in read(PRO) if r["Dont apprentis en EPLE"] == POPULATIONS[route]]


def school_row(uai, route):
    return next(r for r in lycee_rows(route) if r["n°UAI de l'établissement"] == uai)


def test_each_school_and_route_beside_the_mean_of_its_population(insertion_network):
    """In the région, each published network school's rates per route sit beside
    the unweighted regional mean of the same population, from the file's rows."""
    figures = insertion_by_school(departement_codes=["21", "25"])
    assert figures.cohort == "cumul 2022-2023"
    assert [(row.name, row.route) for row in figures.rows] == [
        ("CFA du Pays de Montbéliard", Route.APPRENTICESHIP),
        ("Lycée Eugène Guillaume", ""),
        ("Lycée Eugène Guillaume", Route.SCHOOL),
        ("Lycée Eugène Guillaume", Route.APPRENTICESHIP),
        ("Lycée Les Huisselets", ""),
        ("Lycée Les Huisselets", Route.SCHOOL),
        ("Lycée Les Huisselets", Route.APPRENTICESHIP),
    ]
    cfa_rows = read(CFA)
    for row in figures.rows:
        for indicator, _label, _unit in INDICATORS:
            compared = row.figures[indicator]
            if row.name.startswith("CFA"):
                source = next(
                    r for r in cfa_rows if r["n°UAI de l'établissement"] == "0251749R"
                )
                mean, withheld = expected_mean(cfa_rows, indicator)
            else:
                uai = "0210056X" if "Guillaume" in row.name else "0250067M"
                source = school_row(uai, row.route)
                mean, withheld = expected_mean(lycee_rows(row.route), indicator)
            assert compared.value == cell(source, indicator), (row, indicator)
            assert abs(compared.regional_mean - mean) < Decimal("0.005")
            assert compared.regional_withheld == withheld
            if compared.value is None:
                assert compared.difference is None
            else:
                assert compared.difference == compared.value - compared.regional_mean


def test_withheld_values_are_counted_not_zero(insertion_network):
    """Withheld rates stay None and are counted per indicator."""
    figures = insertion_by_school(departement_codes=["21"])
    assert {row.name for row in figures.rows} == {"Lycée Eugène Guillaume"}
    expected = Counter(
        indicator
        for route in POPULATIONS
        for indicator in COLUMNS
        if cell(school_row("0210056X", route), indicator) is None
    )
    assert figures.withheld == expected
    assert expected["employment_rate_6_months"] == 1
    apprentices = figures.rows[-1]
    assert apprentices.route_label == "Apprentissage"
    assert apprentices.figures["employment_rate_6_months"].value is None


def test_a_commune_keeps_its_own_schools(insertion_network):
    """A commune shows the network schools placed there only."""
    figures = insertion_by_school(departement_codes=["25"], commune_code="25056")
    assert {row.name for row in figures.rows} == {
        "Lycée Les Huisselets",
        "CFA du Pays de Montbéliard",
    }


def test_the_latest_millesime_unless_another_is_asked(insertion_network, tmp_path):
    """The latest millésime by default; an older one on request; an unknown one is
    empty rather than another's figures."""
    newer = tmp_path / "depp-etablissements-2023_2024-pro.csv"
    newer.write_bytes(PRO.read_bytes().replace(b";52;49;55;-6;", b";50;57;55;2;"))
    run_import("depp_etablissements", newer)
    latest = insertion_by_school(departement_codes=["21"])
    assert latest.cohort == "cumul 2023-2024"
    assert latest.cohorts == ["cumul 2023-2024", "cumul 2022-2023"]
    assert latest.rows[0].figures["employment_rate_6_months"].value == 57
    older = insertion_by_school(departement_codes=["21"], cohort="cumul 2022-2023")
    assert older.rows[0].figures["employment_rate_6_months"].value == 49
    assert insertion_by_school(departement_codes=["21"], cohort="1999").rows == []


def test_nothing_imported_is_an_empty_result(db):
    """Without any import the figures are empty, not an error."""
    figures = insertion_by_school(departement_codes=["21"])
    assert (figures.cohort, figures.rows, figures.sources) == ("", [], [])
    assert regional_means(region_id=1) == ("", [])


def test_a_typed_apprenticeship_outcome_is_compared_with_the_cfas(insertion_network):
    """A hand-typed outcome (no file) of apprentices is compared with the CFAs."""
    school = OrganisationFactory(
        name="Autre CFA", commune=insertion_network["0210056X"].commune
    )
    InsertionOutcome.objects.create(
        organisation=school,
        route=Route.APPRENTICESHIP,
        cohort="cumul 2022-2023",
        employment_rate_6_months=Decimal("70.0"),
    )
    row = next(
        r
        for r in insertion_by_school(departement_codes=["21"]).rows
        if r.name == "Autre CFA"
    )
    mean, _ = expected_mean(read(CFA), "employment_rate_6_months")
    assert abs(row.figures["employment_rate_6_months"].regional_mean - mean) < Decimal(
        "0.005"
    )


def test_regional_means_list_every_population(insertion_network):
    """The région's means of the latest millésime: 3 lycée populations and the CFAs."""
    region = Region.objects.get(code="27")
    cohort, means = regional_means(region_id=region.pk)
    assert cohort == "cumul 2022-2023"
    assert {(m.establishment_group, m.route) for m in means} == {
        ("lycees", ""),
        ("lycees", Route.SCHOOL),
        ("lycees", Route.APPRENTICESHIP),
        ("cfa", Route.APPRENTICESHIP),
    }
    assert not Region.objects.get(code="84").insertion_averages.exists()
