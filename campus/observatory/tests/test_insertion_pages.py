"""The insertion pages of the observatory, on the DEPP fixture files imported."""

import csv

import pytest

from campus.observatory.tests.conftest import PRO
from campus.places.tests.factories import DepartementFactory
from campus.profiles.models import CampusProfile
from campus.trainings.models import InsertionAverage, InsertionOutcome

EMPLOYMENT = "/observatoire/insertion/emploi-6-mois/"


def fixture_row(uai, population):
    with PRO.open(encoding="utf-8", newline="") as stream:
        return next(
            row
            for row in csv.reader(stream, delimiter=";")
            if row[0] == uai and row[3] == population
        )


def test_the_employment_page_states_the_millesime_and_withheld_rates(
    client, insertion_network
):
    """Each school and route with its rate, the withheld one in words, never 0,
    the millésime and the source stated."""
    response = client.get(EMPLOYMENT)
    assert response.status_code == 200
    page = response.text
    assert "millésime cumul 2022-2023" in page
    assert "Lycée Eugène Guillaume — apprentissage" in page
    assert "non diffusé (moins de 20 sortants)" in page
    assert "InserJeunes par établissement (DEPP)" in page
    assert "Licence Ouverte 2.0" in page
    whole = fixture_row("0210056X", "ensemble")
    assert f'<td class="number">{whole[5]}</td>' in page
    assert insertion_network["0210056X"].get_absolute_url() in page


def test_a_departement_shows_its_schools_only(client, insertion_network):
    response = client.get(EMPLOYMENT, {"territoire": "25"})
    assert response.status_code == 200
    assert "Lycée Les Huisselets" in response.text
    assert "Lycée Eugène Guillaume" not in response.text


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/observatoire/insertion/", "millésime cumul 2022-2023"),
        ("/observatoire/insertion/poursuite-etudes/", "millésime cumul 2022-2023"),
        ("/observatoire/insertion/valeur-ajoutee/", "millésime cumul 2022-2023"),
        ("/observatoire/insertion/moyennes-regionales/", "millésime cumul 2022-2023"),
        ("/observatoire/definitions/taux-emploi-6-mois/", "moins de 20 sortants"),
        (
            "/observatoire/definitions/valeur-ajoutee-insertion/",
            "sans pondération",
        ),
    ],
)
def test_every_insertion_page_answers(client, insertion_network, path, text):
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.text


def test_the_value_added_may_be_negative(client, insertion_network):
    """A negative value added is shown with its sign."""
    whole = fixture_row("0210056X", "ensemble")
    assert whole[7] == "-6"
    response = client.get("/observatoire/insertion/valeur-ajoutee/")
    assert '<td class="number">-6</td>' in response.text


def test_the_regional_means_count_the_withheld_establishments(
    client, insertion_network
):
    response = client.get("/observatoire/insertion/moyennes-regionales/")
    assert "Lycées — toutes voies (ensemble des sortants)" in response.text
    assert "CFA — apprentissage" in response.text
    assert "Non diffusés, moins de 20 sortants" in response.text


def test_the_download_carries_the_withheld_label_and_source(client, insertion_network):
    response = client.get("/observatoire/insertion/emploi-6-mois.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Source : InserJeunes par établissement (DEPP)" in text
    assert "non diffusé (moins de 20 sortants)" in text
    assert "Période : millésime cumul 2022-2023" in text


def test_without_import_the_pages_say_which_import_is_missing(client, db):
    DepartementFactory()
    CampusProfile.objects.create()
    response = client.get(EMPLOYMENT)
    assert response.status_code == 200
    assert "InserJeunes par établissement" in response.text
    assert "Gestion › Imports" in response.text
    response = client.get("/observatoire/insertion/moyennes-regionales/")
    assert response.status_code == 200


def test_france_has_no_insertion_figure(client, insertion_network):
    response = client.get(EMPLOYMENT, {"territoire": "france"})
    assert response.status_code == 200
    assert "Lycée Eugène Guillaume" not in response.text


def test_a_hostile_territory_is_a_400_that_writes_nothing(client, insertion_network):
    before = (InsertionOutcome.objects.count(), InsertionAverage.objects.count())
    response = client.get(EMPLOYMENT, {"territoire": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "<script>alert" not in response.text
    assert (
        InsertionOutcome.objects.count(),
        InsertionAverage.objects.count(),
    ) == before


def test_a_school_without_a_stored_mean_shows_a_dash(client, insertion_network):
    """An outcome typed by hand, with no regional mean, gets a dash for the mean,
    not « non diffusé »."""
    school = insertion_network["0210056X"]
    InsertionOutcome.objects.create(
        organisation=school,
        route="continuing",
        cohort="cumul 2022-2023",
        employment_rate_6_months=70,
    )
    response = client.get(EMPLOYMENT)
    assert "Lycée Eugène Guillaume — formation continue" in response.text
    row = response.text.split("Lycée Eugène Guillaume — formation continue")[2]
    assert row.split("</tr>")[0].count('<td class="number">—</td>') == 2
