"""The observatory's pages, downloads and territory selector, on stored Urssaf rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.observatory.tests.factories import (
    IndicatorFactory,
    store_urssaf_figures,
)
from campus.opendata.importers import urssaf
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile

pytestmark = pytest.mark.django_db

EVOLUTION = "/observatoire/emploi/evolution/"
# (key, NAF, commune, year, value): two départements, two years, one code outside
# the sector that must never be counted.
ROWS = [
    (IndicatorKey.SALARIED_HEADCOUNT, "15.12Z", "21425", 2021, 120),
    (IndicatorKey.SALARIED_HEADCOUNT, "15.12Z", "21425", 2022, 130),
    (IndicatorKey.ESTABLISHMENTS, "15.12Z", "21425", 2022, 3),
    (IndicatorKey.SALARIED_HEADCOUNT, "15.12Z", "25056", 2022, 70),
    (IndicatorKey.ESTABLISHMENTS, "15.12Z", "25056", 2022, 2),
    (IndicatorKey.SALARIED_HEADCOUNT, "47.71Z", "25056", 2022, 999),
]


@pytest.fixture
def campus():
    region = RegionFactory()
    cote_dor = DepartementFactory(region=region)
    doubs = DepartementFactory(code="25", name="Doubs", region=region)
    CommuneFactory(departement=cote_dor)
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z").save()
    profile = CampusProfile.objects.create(region=region)
    store_urssaf_figures(ROWS, region_code=region.code, france=False)
    return profile


def test_home_lists_every_theme_and_the_glossary(client, campus):
    response = client.get("/observatoire/")
    assert response.status_code == 200
    for title in ["Emploi", "Entreprises", "Formation", "Insertion des jeunes"]:
        assert title in response.text
    assert 'href="/observatoire/definitions/"' in response.text


@pytest.mark.parametrize(
    ("territoire", "expected"),
    [
        # Région: both départements, sector code only (120 / 130+70, 3+2).
        ("", {"2021": ("120", ""), "2022": ("200", "5")}),
        ("21", {"2021": ("120", ""), "2022": ("130", "3")}),
        ("25", {"2022": ("70", "2")}),
        ("25056", {"2022": ("70", "2")}),
    ],
)
def test_evolution_sums_the_sector_rows_of_the_territory(
    client, campus, territoire, expected
):
    response = client.get(EVOLUTION, {"territoire": territoire} if territoire else {})
    assert response.status_code == 200
    body = client.get(
        EVOLUTION.rstrip("/") + ".csv",
        {"territoire": territoire} if territoire else {},
    ).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body), delimiter=";"))
    header = lines.index(
        ["Année", "Salariés (salariés)", "Établissements employeurs (établissements)"]
    )
    data = {
        row[0]: (row[1], row[2] if row[2] != "non diffusé" else "")
        for row in lines[header + 1 :]
    }
    assert data == expected


def test_the_figure_page_has_its_chart_table_summary_source_and_address(client, campus):
    response = client.get(EVOLUTION)
    text = response.text
    assert "<svg" in text and "<table" in text
    assert "200 salariés dans 5 établissements employeurs en 2022" in text
    assert urssaf.SOURCE in text and urssaf.LICENCE in text
    assert "/observatoire/emploi/evolution.csv" in text
    assert "/observatoire/emploi/evolution.xlsx" in text
    assert "http://testserver/observatoire/emploi/evolution/" in text


def test_a_missing_value_is_shown_as_withheld_never_as_zero(client, campus):
    response = client.get(EVOLUTION)
    # 2021 has a headcount and no establishment count.
    assert "non diffusé" in response.text


def test_xlsx_carries_the_source_licence_and_figures(client, campus):
    response = client.get("/observatoire/emploi/evolution.xlsx", {"territoire": "21"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert (
        'filename="observatoire-emploi-evolution-21.xlsx"'
        in response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    flat = [str(cell) for row in values for cell in row if cell is not None]
    assert f"Source : {urssaf.SOURCE}" in flat
    assert f"Licence : {urssaf.LICENCE}" in flat
    assert "Territoire : Côte-d'Or (21)" in flat
    assert [2022, 130.0, 3.0] in [list(row) for row in values]


def test_an_empty_source_says_which_import_is_missing(client, campus):
    Indicator.objects.all().delete()
    response = client.get(EVOLUTION)
    assert response.status_code == 200
    assert "importez le fichier Urssaf" in response.text
    assert ".csv" not in response.text


def test_france_is_refused_by_a_figure_kept_for_the_region_only(client, campus):
    response = client.get(
        "/observatoire/emploi/departements/", {"territoire": "france"}
    )
    assert response.status_code == 200
    assert "imports ne gardent que les lignes de la région" in response.text


@pytest.mark.parametrize(
    "territoire",
    ["75", "99999", "x" * 500, "<script>alert(1)</script>", "' OR 1=1 --", "\x00"],
)
def test_an_unknown_territory_is_a_french_400_that_shows_the_region(
    client, campus, territoire
):
    before = Indicator.objects.count()
    response = client.get(EVOLUTION, {"territoire": territoire})
    assert response.status_code == 400
    assert "<script>alert" not in response.text
    assert "Les chiffres affichés sont ceux de la région" in response.text
    download = client.get(
        "/observatoire/emploi/evolution.csv", {"territoire": territoire}
    )
    assert download.status_code == 400
    assert Indicator.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/observatoire/inconnu/",
        "/observatoire/emploi/inconnu/",
        "/observatoire/emploi/evolution.pdf",
        "/observatoire/definitions/inconnue/",
    ],
)
def test_unknown_addresses_are_404(client, campus, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/observatoire/",
        "/observatoire/emploi/",
        EVOLUTION,
        "/observatoire/definitions/",
    ],
)
def test_pages_answer_head_and_refuse_post(client, campus, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_a_definition_states_source_licence_limits_and_last_import(client, campus):
    # Noon, not now's hour: after 23:00 UTC the day in Paris is the next one (CI
    # saw « 15 mars »).
    finished = timezone.now().replace(year=2026, month=3, day=14, hour=12)
    ImportRun.objects.create(
        source=ImportSource.URSSAF,
        file_name="urssaf.csv",
        licence=urssaf.LICENCE,
        attribution="Urssaf",
        status=ImportStatus.SUCCEEDED,
        finished_at=finished,
    )
    response = client.get("/observatoire/definitions/effectifs-salaries/")
    assert response.status_code == 200
    for text in ["Secteur privé seulement", urssaf.LICENCE, "14 mars 2026"]:
        assert text in response.text
    assert EVOLUTION in response.text


def test_formulas_in_labels_are_neutralised_in_downloads(client, campus):
    IndicatorFactory(
        key=IndicatorKey.SALARIED_HEADCOUNT,
        naf_code="15.12Z",
        territory_code=campus.region.code,
        territory_level=TerritoryLevel.REGION,
        year=2023,
        value=Decimal(1),
        source=urssaf.SOURCE,
    )
    body = client.get("/observatoire/emploi/evolution.csv").content.decode("utf-8-sig")
    assert not [line for line in body.splitlines() if line.startswith(("=", "+", "@"))]
