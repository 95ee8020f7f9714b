import csv
import io
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from campus.network.models import OrganisationKind
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.places.models import Commune
from campus.trainings.models import (
    EstablishmentGroup,
    InsertionAverage,
    InsertionOutcome,
    Route,
)

PRO = fixture_path("depp-etablissements-2022_2023-pro.csv")
CFA = fixture_path("depp-etablissements-2022_2023-apprentissage.csv")


@pytest.fixture
def network(campus):
    montbard = Commune.objects.get(insee_code="21425")
    besancon = Commune.objects.get(insee_code="25056")
    return {
        "montbard": OrganisationFactory(
            name="Lycée Eugène Guillaume",
            kind=OrganisationKind.SECONDARY_SCHOOL,
            uai="0210056X",
            commune=montbard,
        ),
        "huisselets": OrganisationFactory(
            name="Lycée Les Huisselets",
            kind=OrganisationKind.SECONDARY_SCHOOL,
            uai="0250067M",
            commune=besancon,
        ),
        "cfa": OrganisationFactory(
            name="CFA du Pays de Montbéliard",
            kind=OrganisationKind.CFA,
            uai="0251749R",
            commune=besancon,
        ),
        # A partner school of another région: kept, but not in the averages.
        "dauphine": OrganisationFactory(
            name="Lycée du Dauphiné",
            kind=OrganisationKind.SECONDARY_SCHOOL,
            uai="0260023J",
            commune=None,
        ),
    }


def snapshot():
    return (
        list(InsertionOutcome.objects.order_by("pk").values()),
        list(InsertionAverage.objects.order_by("pk").values()),
    )


def outcome(school, route, cohort="cumul 2022-2023"):
    return InsertionOutcome.objects.get(
        organisation=school, route=route, cohort=cohort, certification=None
    )


def test_each_population_of_a_network_lycee_is_one_outcome(network):
    """Ensemble, school route and apprentices of a network lycée are three outcomes
    of the millésime named by the file; « nd » is empty, never zero."""
    run = run_import("depp_etablissements", PRO)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.updated, run.unchanged) == (20, 9, 0, 0)
    assert run.skipped_reasons == {"établissement hors du réseau du campus": 11}
    montbard = network["montbard"]
    whole = outcome(montbard, "")
    assert whole.cohort == "cumul 2022-2023"
    assert whole.employment_rate_6_months == Decimal("49.0")
    assert whole.expected_employment_rate_6_months == Decimal("55.0")
    assert whole.employment_value_added_6_months == Decimal("-6.0")
    assert whole.further_study_rate == Decimal("52.0")
    assert (
        whole.further_study_share,
        whole.employment_share_6_months,
        whole.other_situations_share,
    ) == (Decimal(52), Decimal(24), Decimal(24))
    assert whole.establishment_group == EstablishmentGroup.LYCEES
    assert whole.get_route_display() == "toutes voies (ensemble des sortants)"
    assert outcome(montbard, Route.SCHOOL).employment_rate_6_months == 48
    apprentices = outcome(montbard, Route.APPRENTICESHIP)
    assert apprentices.employment_rate_6_months is None
    assert apprentices.employment_value_added_6_months is None
    assert apprentices.further_study_rate == 48
    assert apprentices.source_licence == "Licence Ouverte 2.0"
    assert outcome(network["dauphine"], Route.APPRENTICESHIP).employment_rate_6_months
    assert InsertionOutcome.objects.filter(organisation=network["cfa"]).count() == 0


def test_the_cfa_file_gives_one_apprenticeship_outcome_per_cfa(network):
    """The CFAs' file, with its own header (no population, labels ending with a
    space), gives the network CFA its apprentices' outcome."""
    run = run_import("depp_etablissements", CFA)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (6, 1, 5)
    cfa = outcome(network["cfa"], Route.APPRENTICESHIP)
    assert cfa.employment_rate_6_months == 62
    assert cfa.employment_value_added_6_months == 4
    assert cfa.other_situations_share == 17
    assert cfa.establishment_group == EstablishmentGroup.CFA


def read_fixture(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=";"))


def expected_mean(path, region, population, column):
    """The unweighted mean of the diffused values, and the number withheld, read
    from the fixture with the csv module alone."""
    header, *rows = read_fixture(path)
    position = header.index(column)
    values = [
        row[position]
        for row in rows
        if row[2] == region and (population is None or row[3] == population)
    ]
    diffused = [Decimal(value) for value in values if value != "nd"]
    return sum(diffused) / len(diffused), len(values) - len(diffused)


@pytest.mark.parametrize(
    ("route", "population", "indicator", "column"),
    [
        ("", "ensemble", "employment_rate_6_months", "Taux"),
        ("", "ensemble", "employment_value_added_6_months", "Valeur ajoutée"),
        (
            Route.SCHOOL,
            "dont élèves en voie pro sco",
            "further_study_rate",
            "Taux de poursuite d'études",
        ),
        (Route.APPRENTICESHIP, "dont apprentis", "employment_rate_6_months", "Taux"),
    ],
)
def test_regional_means_cover_every_lycee_of_the_region(
    network, route, population, indicator, column
):
    """Each mean is over all the région's rows of that population, network or not,
    withheld values left out and counted; other régions' rows stay out."""
    run_import("depp_etablissements", PRO)
    mean, withheld = expected_mean(PRO, "BOURGOGNE-FRANCHE-COMTE", population, column)
    average = InsertionAverage.objects.get(
        establishment_group=EstablishmentGroup.LYCEES,
        route=route,
        indicator=indicator,
        cohort="cumul 2022-2023",
    )
    assert average.region.code == "27"
    assert abs(average.mean - mean) < Decimal("0.005")
    assert average.withheld == withheld
    assert InsertionAverage.objects.exclude(region=average.region).count() == 0


def test_cfa_means_are_kept_apart_from_the_lycees(network):
    """The CFAs' means are their own group, beside the lycées' apprentices."""
    run_import("depp_etablissements", PRO)
    run_import("depp_etablissements", CFA)
    mean, withheld = expected_mean(CFA, "BOURGOGNE-FRANCHE-COMTE", None, "Taux")
    average = InsertionAverage.objects.get(
        establishment_group=EstablishmentGroup.CFA,
        route=Route.APPRENTICESHIP,
        indicator="employment_rate_6_months",
    )
    assert abs(average.mean - mean) < Decimal("0.005")
    assert (average.diffused, average.withheld) == (4, 2)
    assert InsertionAverage.objects.filter(
        establishment_group=EstablishmentGroup.LYCEES, route=Route.APPRENTICESHIP
    ).exists()


def test_second_import_of_the_same_millesime_changes_nothing(network):
    """Importing the same files again creates and updates nothing."""
    run_import("depp_etablissements", PRO)
    run_import("depp_etablissements", CFA)
    before = snapshot()
    run = run_import("depp_etablissements", PRO)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 9)
    run = run_import("depp_etablissements", CFA)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 1)
    assert snapshot() == before


def test_a_new_millesime_adds_without_erasing(network, tmp_path):
    """The next millésime's file adds its outcomes and means beside the older ones."""
    run_import("depp_etablissements", PRO)
    before = snapshot()
    newer = tmp_path / "depp-etablissements-2023_2024-pro.csv"
    newer.write_bytes(PRO.read_bytes().replace(b";52;49;55;-6;", b";50;57;55;2;"))
    run = run_import("depp_etablissements", newer)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 9
    assert snapshot()[0][: len(before[0])] == before[0]
    assert outcome(network["montbard"], "").employment_rate_6_months == 49
    assert (
        outcome(network["montbard"], "", "cumul 2023-2024").employment_rate_6_months
        == 57
    )
    assert InsertionAverage.objects.count() == 2 * len(before[1])


def test_the_millesime_can_be_given_when_the_name_lacks_it(network, tmp_path):
    """A renamed file needs the millésime as an option; without it, nothing is written."""
    renamed = tmp_path / "insertion.csv"
    shutil.copy(PRO, renamed)
    run = run_import("depp_etablissements", renamed)
    assert run.status == ImportStatus.FAILED
    assert "millésime" in run.error and "--millesime" in run.error
    assert snapshot() == ([], [])
    run = run_import("depp_etablissements", renamed, millesime="2021-2022")
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert outcome(network["montbard"], "", "cumul 2021-2022")


@pytest.mark.parametrize("millesime", ["2022", "2022-2024", "20222-2023", "x" * 500])
def test_a_wrong_millesime_is_refused(network, millesime):
    """A millésime that is not two following years is refused, nothing written."""
    run = run_import("depp_etablissements", PRO, millesime=millesime)
    assert run.status == ImportStatus.FAILED
    assert "millésime" in run.error
    assert snapshot() == ([], [])


def test_the_command_takes_the_millesime(network, tmp_path):
    """`import_data depp_etablissements FILE --millesime` imports and reports."""
    renamed = tmp_path / "insertion.csv"
    shutil.copy(PRO, renamed)
    out = io.StringIO()
    call_command(
        "import_data",
        "depp_etablissements",
        str(renamed),
        "--millesime",
        "2022_2023",
        "--no-progress",
        stdout=out,
    )
    output = out.getvalue()
    assert "9 créés" in output
    assert "Bourgogne-Franche-Comté" in output
    assert outcome(network["montbard"], "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((";ensemble;52;49;", ";ensemble;52;4x9;"), "ligne 13, colonne « Taux »"),
        ((";ensemble;52;49;", ";ensemble;52;149;"), "ligne 13, colonne « Taux »"),
        ((";ensemble;52;49;", ";ensemble;52;1e999;"), "ligne 13, colonne « Taux »"),
        (
            (";ensemble;52;49;55;-6;", ";ensemble;52;49;55;-600;"),
            "ligne 13, colonne « Valeur ajoutée »",
        ),
        (
            (";ensemble;52;49;", ";tous;52;49;"),
            "ligne 13, colonne « Dont apprentis en EPLE »",
        ),
        ((";ensemble;52;49;55;-6;", ";ensemble;52;49;"), "ligne 13 : 9 valeurs"),
        (("0210056X;", ";"), "ligne 12, colonne « n°UAI de l'établissement »"),
    ],
)
def test_bad_rows_reject_the_file(network, tmp_path, change, message):
    """A non-numeric, out-of-range or cut value fails the file, says where, and
    writes nothing."""
    path = tmp_path / PRO.name
    path.write_bytes(
        PRO.read_bytes().replace(change[0].encode(), change[1].encode(), 1)
    )
    run = run_import("depp_etablissements", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert snapshot() == ([], [])


def test_an_oversized_value_is_refused(network, tmp_path):
    """A number of 100,000 digits is refused as a value, not stored cut."""
    path = tmp_path / PRO.name
    path.write_bytes(
        PRO.read_bytes().replace(
            b";ensemble;52;49;", b";ensemble;52;" + b"9" * 100_000 + b";", 1
        )
    )
    run = run_import("depp_etablissements", path)
    assert run.status == ImportStatus.FAILED
    assert "colonne « Taux »" in run.error
    assert snapshot() == ([], [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "n'est pas un fichier CSV"),
        (b"UAI;Nom;Effectif\r\n0210056X;Lyc\xc3\xa9e;12\r\n", "colonnes manquantes"),
        (b";;;;Taux\r\n", "colonnes manquantes"),
        (b"", "vide"),
        (b"n\xb0UAI;R\xe9gion;Taux\r\n", "lisible"),
    ],
)
def test_a_wrong_file_is_refused(network, tmp_path, content, message):
    """An image, another dataset, a release without labels, an empty or a Latin-1
    file is refused with a French message."""
    path = tmp_path / "depp-etablissements-2022_2023-pro.csv"
    path.write_bytes(content)
    run = run_import("depp_etablissements", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert snapshot() == ([], [])


def test_a_truncated_file_is_refused(network, tmp_path):
    """A file cut in the middle of a line fails at that line."""
    path = tmp_path / PRO.name
    data = PRO.read_bytes()
    path.write_bytes(data[: data.index(b"0210056X;") + 60])
    run = run_import("depp_etablissements", path)
    assert run.status == ImportStatus.FAILED
    assert "ligne 12" in run.error
    assert snapshot() == ([], [])


def test_outcomes_show_on_the_lycee_page_with_withheld_rates(network, client):
    """The lycée's page shows each route's rates, and « n. d. » where withheld."""
    run_import("depp_etablissements", PRO)
    page = client.get(network["montbard"].get_absolute_url()).content.decode()
    assert "toutes voies (ensemble des sortants)" in page
    assert "n. d." in page and "moins de 20 sortants" in page
    assert "InserJeunes par établissement (DEPP)" in page
