"""The companies theme, on stored Sirene rows and on a real import of a fixture."""

import csv
import io
from collections import Counter
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from campus.network.tests.factories import OrganisationFactory
from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.observatory.tests.factories import IndicatorFactory
from campus.opendata.importers import sirene
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db

THEME = "/observatoire/entreprises/"
ACTIVE = IndicatorKey.ACTIVE_ESTABLISHMENTS
# (key, NAF, size band, level, code, year, value) as the Sirene import stores them;
# an older stock (2024), a code outside the sector (47.71Z) that must never count.
ROWS = [
    (ACTIVE, "15.12Z", "11", "region", "27", 2025, 3),
    (ACTIVE, "15.12Z", "NN", "region", "27", 2025, 7),
    (ACTIVE, "14.11Z", "01", "region", "27", 2025, 2),
    (ACTIVE, "47.71Z", "01", "region", "27", 2025, 50),
    (ACTIVE, "15.12Z", "NN", "region", "27", 2024, 99),
    (ACTIVE, "15.12Z", "11", "departement", "21", 2025, 3),
    (ACTIVE, "15.12Z", "NN", "departement", "21", 2025, 5),
    (ACTIVE, "15.12Z", "NN", "departement", "25", 2025, 2),
    (ACTIVE, "14.11Z", "01", "departement", "25", 2025, 2),
    (ACTIVE, "15.12Z", "11", "commune", "21425", 2025, 3),
    (ACTIVE, "15.12Z", "NN", "commune", "21425", 2025, 5),
    (ACTIVE, "15.12Z", "NN", "commune", "25056", 2025, 2),
    (ACTIVE, "14.11Z", "01", "commune", "25056", 2025, 2),
    (ACTIVE, "15.12Z", "NN", "france", "FR", 2025, 900),
    (IndicatorKey.CRAFT_ESTABLISHMENTS, "15.12Z", "", "region", "27", 2025, 4),
    (IndicatorKey.CREATIONS, "15.12Z", "", "region", "27", 2025, 1),
    (IndicatorKey.CREATIONS, "15.12Z", "", "region", "27", 2021, 2),
    (IndicatorKey.CREATIONS, "14.11Z", "", "region", "27", 2021, 1),
    (IndicatorKey.CREATIONS, "15.12Z", "", "region", "27", 1990, 5),
    (IndicatorKey.CLOSURES, "15.12Z", "", "region", "27", 2023, 1),
]


@pytest.fixture
def campus():
    region = RegionFactory()
    cote_dor = DepartementFactory(region=region)
    doubs = DepartementFactory(code="25", name="Doubs", region=region)
    CommuneFactory(departement=cote_dor)
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z, 1411Z").save()
    return CampusProfile.objects.create(region=region)


@pytest.fixture
def stored(campus):
    for key, naf, band, level, code, year, value in ROWS:
        IndicatorFactory(
            key=key,
            naf_code=naf,
            breakdown=band,
            territory_level=level,
            territory_code=code,
            year=year,
            value=Decimal(value),
            source=sirene.SOURCE,
        )
    return campus


def download(client, slug, territoire=""):
    """The figure's CSV as {first cell: other cells}."""
    query = {"territoire": territoire} if territoire else {}
    body = client.get(f"{THEME}{slug}.csv", query).content.decode("utf-8-sig")
    lines = [line for line in csv.reader(io.StringIO(body), delimiter=";") if line]
    header = next(i for i, line in enumerate(lines) if len(line) > 1)
    return {line[0]: line[1:] for line in lines[header + 1 :]}


def expected(key, level, code, *, by, year=2025):
    """Sums of ROWS for the sector's codes, grouped by NAF code (1) or band (2)."""
    totals = Counter()
    for k, naf, band, lvl, c, y, value in ROWS:
        if k == key and lvl == level and c == code and y == year:
            if naf in {"15.12Z", "14.11Z"}:
                totals[(naf, band)[by - 1]] += value
    return totals


@pytest.mark.parametrize(
    ("territoire", "level", "code"),
    [
        ("", "region", "27"),
        ("21", "departement", "21"),
        ("25", "departement", "25"),
        ("25056", "commune", "25056"),
        ("france", "france", "FR"),
    ],
)
def test_active_establishments_by_activity_are_the_newest_stock_s(
    client, stored, territoire, level, code
):
    """Each sector code's active establishments of the newest stock, 0 where none."""
    totals = expected(ACTIVE, level, code, by=1)
    data = download(client, "etablissements-actifs", territoire)
    assert data == {naf: [str(totals[naf])] for naf in ["15.12Z", "14.11Z"]}


def test_size_bands_are_in_insee_order_with_insee_labels(client, stored):
    totals = expected(ACTIVE, "region", "27", by=2)
    assert download(client, "taille") == {
        "Non employeur ou effectif inconnu": [str(totals["NN"])],
        "1 ou 2 salariés": [str(totals["01"])],
        "10 à 19 salariés": [str(totals["11"])],
    }
    response = client.get(f"{THEME}taille/")
    assert "sur 12 établissements actifs de la filière, 7 sont non employeurs" in (
        response.text
    )
    assert "3 comptent 10 salariés ou plus" in response.text


def test_creations_and_closures_cover_twenty_years_with_true_zeros(client, stored):
    data = download(client, "creations-fermetures")
    assert list(data) == [str(year) for year in range(2006, 2026)]
    assert data["2021"] == ["3", "0"]
    assert data["2023"] == ["0", "1"]
    assert data["2025"] == ["1", "0"]
    response = client.get(f"{THEME}creations-fermetures/")
    assert "2025 est partielle" in response.text
    assert "2006–2025, stock Sirene 2025" in response.text


def test_craft_share_per_code(client, stored):
    data = download(client, "artisanat")
    assert data == {"15.12Z": ["10", "4", "40,0"], "14.11Z": ["2", "0", "0,0"]}


def test_by_territory_lists_the_departements_then_the_communes(client, stored):
    assert download(client, "par-territoire") == {
        "Côte-d'Or (21)": ["8"],
        "Doubs (25)": ["4"],
    }
    assert download(client, "par-territoire", "25") == {"Besançon": ["4"]}


def test_by_territory_is_drawn_on_departements_then_on_communes(client, stored):
    """The région's table is a map of its départements, a département's a map of
    its communes; a commune's single row has no map."""
    region = client.get(f"{THEME}par-territoire/").text
    assert "Établissements actifs (établissements) par département :" in region
    doubs = client.get(f"{THEME}par-territoire/", {"territoire": "25"}).text
    assert "choropleth--communes" in doubs and "par commune :" in doubs
    besancon = client.get(f"{THEME}par-territoire/", {"territoire": "25056"}).text
    assert "choropleth" not in besancon and "Besançon" in besancon


def _links(html: str, text: str) -> list[dict]:
    found = []
    for chunk in html.split('<a href="')[1:]:
        href, rest = chunk.split('"', 1)
        if rest.split("</a>", 1)[0].endswith(text):
            found.append(parse_qs(urlparse(href.replace("&amp;", "&")).query))
    return found


def test_rows_link_to_the_directory_filtered_the_same_way(client, stored):
    """The link of a row finds, in the directory, the companies it counts."""
    montbard_company = OrganisationFactory(
        name="Maroquinerie de Montbard",
        kind="company",
        naf_code="15.12Z",
        size_band="11",
    )
    page = client.get(f"{THEME}etablissements-actifs/", {"territoire": "21"}).text
    [query] = _links(page, "15.12Z")
    assert query == {"activite": ["15.12Z"], "departement": ["21"]}
    listing = client.get("/annuaire/", {k: v[0] for k, v in query.items()})
    assert list(listing.context["page"].object_list) == [montbard_company]
    sizes = client.get(f"{THEME}taille/", {"territoire": "21425"}).text
    assert {"taille": ["11"], "commune": ["21425"]} in _links(sizes, "10 à 19 salariés")
    departements = client.get(f"{THEME}par-territoire/").text
    assert {"departement": ["25"]} in _links(departements, "Doubs (25)")


def test_france_has_figures_but_no_directory_links(client, stored):
    page = client.get(f"{THEME}etablissements-actifs/", {"territoire": "france"})
    assert "900" in page.text
    assert _links(page.text, "15.12Z") == []
    territory = client.get(f"{THEME}par-territoire/", {"territoire": "france"})
    assert "imports ne gardent que les lignes de la région" in territory.text


def test_without_a_sirene_import_every_figure_names_the_missing_import(client, campus):
    response = client.get(THEME)
    assert response.status_code == 200
    assert response.text.count("importez le stock Sirene") == 5
    assert ".csv" not in response.text


def test_a_territory_without_establishments_says_so(client, stored):
    Indicator.objects.filter(territory_level=TerritoryLevel.COMMUNE).delete()
    response = client.get(f"{THEME}etablissements-actifs/", {"territoire": "25056"})
    assert "Le stock Sirene 2025 ne compte aucun établissement actif" in response.text


def test_the_theme_page_shows_every_figure_with_source_and_definition(client, stored):
    response = client.get(THEME)
    assert response.status_code == 200
    # Four bar charts, and creations and closures as one line chart per series.
    assert response.text.count('<svg class="chart chart--bars"') == 4
    assert response.text.count('<svg class="chart chart--lines"') == 2
    assert sirene.LICENCE in response.text
    for slug in [
        "etablissements-actifs",
        "tranches-effectifs",
        "creations-fermetures",
        "etablissements-artisanaux",
    ]:
        assert f"/observatoire/definitions/{slug}/" in response.text
        assert client.get(f"/observatoire/definitions/{slug}/").status_code == 200


@pytest.mark.parametrize("slug", ["etablissements-actifs", "taille", "artisanat"])
def test_xlsx_downloads_carry_the_source(client, stored, slug):
    response = client.get(f"{THEME}{slug}.xlsx", {"territoire": "25"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_pages_read_what_a_real_import_stored(client, campus):
    """Imported from the fixture stock, the région's figures are the file's counts."""
    run = run_import("sirene", fixture_path("StockEtablissement_utf8_observatoire.csv"))
    assert run.status == "succeeded", run.error
    # Counted by hand from the fixture: Montbard ×3 and Dijon (15.12Z), Besançon
    # (14.11Z); Paris and Marseille outside the région.
    assert download(client, "etablissements-actifs") == {
        "15.12Z": ["4"],
        "14.11Z": ["1"],
    }
    assert download(client, "artisanat") == {
        "15.12Z": ["4", "2", "50,0"],
        "14.11Z": ["1", "0", "0,0"],
    }
    events = download(client, "creations-fermetures")
    assert events["2021"] == ["2", "1"]
    assert events["2024"] == ["1", "1"]
    assert download(client, "par-territoire") == {
        "Côte-d'Or (21)": ["4"],
        "Doubs (25)": ["1"],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_theme_is_accessible_on_desktop_and_mobile(
    local_page, live_server, stored, width, height
):
    """The companies theme and a figure page pass axe, wide and narrow."""
    local_page.set_viewport_size({"width": width, "height": height})
    local_page.goto(live_server.url + THEME)
    expect(local_page.get_by_role("heading", level=1)).to_have_text("Entreprises")
    expect(local_page.get_by_role("table").first).to_contain_text("15.12Z")
    assert_accessible(local_page)
    save_screenshot(local_page, f"observatory-entreprises-{width}")
    local_page.goto(live_server.url + f"{THEME}taille/?territoire=21")
    assert_accessible(local_page)
    save_screenshot(local_page, f"observatory-entreprises-taille-{width}")
    local_page.get_by_role("link", name="10 à 19 salariés").click()
    expect(local_page.get_by_role("heading", level=1)).to_contain_text("Annuaire")
