"""The employment theme, on the totals the real Urssaf importer stores.

Each expected figure is computed here from the fixture file with the csv module,
never through the importer or the theme.
"""

import csv
import io
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus.accounts.tests.factories import UserFactory
from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.observatory.tests.factories import IndicatorFactory
from campus.opendata.importers import urssaf
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile, SectorProfile

pytestmark = pytest.mark.django_db

URSSAF = fixture_path("urssaf-commune-ape.csv")
# Written without dots on purpose: the sector profile accepts `1411Z`.
SECTOR = {"15.11Z", "15.12Z", "14.11Z"}
HEADCOUNT, ESTABLISHMENTS = "salaried_headcount", "establishments"


def DOUBS():
    return DepartementFactory(code="25", name="Doubs")


@pytest.fixture
def campus():
    cote_dor = DepartementFactory()
    doubs = DepartementFactory(code="25", name="Doubs")
    CommuneFactory()
    CommuneFactory(insee_code="21231", name="Dijon")
    CommuneFactory(insee_code="21001", name="Agencourt")
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor, doubs])
    SectorProfile(name="Maroquinerie", naf_codes="15.11Z, 1512Z, 14.11Z").save()
    return profile


@pytest.fixture
def imported(campus):
    run = run_import("urssaf", URSSAF)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    return campus


def file_figures():
    """(key, NAF, commune, year) → value of the sector's rows, read with csv alone."""
    figures = {}
    with URSSAF.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream, delimiter=";"):
            naf = f"{row['Code APE'][:2]}.{row['Code APE'][2:]}"
            if naf not in SECTOR:
                continue
            for column, value in row.items():
                match = re.fullmatch(
                    r"(Nombre d'établissements|Effectifs salariés) (\d{4})", column
                )
                if match and value:
                    key = ESTABLISHMENTS if "Nombre" in column else HEADCOUNT
                    figures[(key, naf, row["Code commune"], int(match[2]))] = int(value)
    return figures


def expected(where, *, by="year", year=None):
    """Sums of the file's sector rows whose commune passes `where`, grouped `by`."""
    totals = defaultdict(dict)
    for (key, naf, commune, row_year), value in file_figures().items():
        if not where(commune) or (year is not None and row_year != year):
            continue
        group = {"year": row_year, "naf": naf, "commune": commune}[by]
        totals[group][key] = totals[group].get(key, 0) + value
    return dict(totals)


def in_region(commune):
    return commune[:2] in {"21", "25"}


def everywhere(commune):
    return True


def download(client, slug, territoire=""):
    """The figure's CSV download: its header and its rows, as text."""
    response = client.get(
        f"/observatoire/emploi/{slug}.csv",
        {"territoire": territoire} if territoire else {},
    )
    assert response.status_code == 200
    lines = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    start = next(i for i, line in enumerate(lines) if not line) + 1
    return lines[start], lines[start + 1 :]


def number(text):
    return int(text) if text.isdigit() else text


@pytest.mark.parametrize(
    ("territoire", "where"),
    [
        ("", in_region),
        ("21", lambda c: c.startswith("21")),
        ("25", lambda c: c.startswith("25")),
        ("21231", lambda c: c == "21231"),
        ("france", everywhere),
    ],
)
def test_evolution_reads_the_stored_totals_of_each_territory(
    client, imported, territoire, where
):
    """Each year's headcount and establishments equal the file's rows of the territory,
    France counting the rows outside the campus too."""
    totals = expected(where)
    _, rows = download(client, "evolution", territoire)
    assert [[number(cell) for cell in row] for row in rows] == [
        [
            year,
            totals[year].get(HEADCOUNT, "non diffusé"),
            totals[year].get(ESTABLISHMENTS, "non diffusé"),
        ]
        for year in sorted(totals)
    ]


def test_evolution_never_sums_commune_rows(client, imported):
    """The région's figures come from its stored total, not from its communes."""
    Indicator.objects.filter(territory_level=TerritoryLevel.COMMUNE).delete()
    _, rows = download(client, "evolution")
    assert rows[-1] == ["2022", "53", "4"]


@pytest.mark.parametrize(
    ("territoire", "where"), [("", in_region), ("france", everywhere)]
)
def test_by_activity_lists_each_code_with_its_label(
    client, imported, territoire, where
):
    """The latest year's figures per NAF code of the sector, with the file's labels,
    largest headcount first; a code without any row is named in a note."""
    totals = expected(where, by="naf", year=2022)
    header, rows = download(client, "activites", territoire)
    assert header[:2] == ["Code NAF", "Activité"]
    labels = {
        "15.12Z": "Fabrication d'articles de voyage, de maroquinerie et de sellerie",
        "14.11Z": "Fabrication de vêtements en cuir",
    }
    ranked = sorted(totals, key=lambda naf: -totals[naf].get(HEADCOUNT, 0))
    assert [[number(cell) for cell in row] for row in rows] == [
        [naf, labels[naf], totals[naf][HEADCOUNT], totals[naf][ESTABLISHMENTS]]
        for naf in ranked
    ]
    page = client.get("/observatoire/emploi/activites/").text
    assert "sans ligne Urssaf en 2022 pour ce territoire : 15.11Z." in page
    # A text column is not aligned as a number.
    assert "<td>Fabrication de vêtements en cuir</td>" in page


def test_by_departement_links_each_departement(client, imported):
    """Each département of the région with its latest totals and a link to its page;
    Dijon's unpublished headcount is left out of Côte-d'Or's, never counted as 0."""
    cote_dor = expected(lambda c: c.startswith("21"), year=2022)[2022]
    doubs = expected(lambda c: c.startswith("25"), year=2022)[2022]
    _, rows = download(client, "departements")
    assert rows == [
        ["Côte-d'Or (21)", str(cote_dor[HEADCOUNT]), str(cote_dor[ESTABLISHMENTS])],
        ["Doubs (25)", str(doubs[HEADCOUNT]), str(doubs[ESTABLISHMENTS])],
    ]
    page = client.get("/observatoire/emploi/departements/").text
    assert '<a href="?territoire=21">Côte-d&#x27;Or (21)</a>' in page
    assert "compte le plus de salariés" in page


def test_by_commune_ranks_the_communes_and_links_them(client, imported):
    """Communes by headcount of the latest year; a withheld headcount ranks last and
    reads « non diffusé »; each commune links to its own page."""
    totals = expected(in_region, by="commune", year=2022)
    _, rows = download(client, "communes")
    names = {"21425": "Montbard", "21231": "Dijon", "25056": "Besançon"}
    ranked = sorted(totals, key=lambda c: -totals[c].get(HEADCOUNT, -1))
    assert [[number(cell) for cell in row] for row in rows] == [
        [
            f"{names[code]} ({code})",
            totals[code].get(HEADCOUNT, "non diffusé"),
            totals[code][ESTABLISHMENTS],
        ]
        for code in ranked
    ]
    assert rows[-1][1] == "non diffusé"
    page = client.get("/observatoire/emploi/communes/").text
    assert '<a href="?territoire=21425">Montbard (21425)</a>' in page


def test_by_commune_of_a_commune_shows_its_departement(client, imported):
    """A commune's page ranks the communes of its département."""
    _, rows = download(client, "communes", "21231")
    assert [row[0] for row in rows] == ["Montbard (21425)", "Dijon (21231)"]


def test_by_commune_keeps_the_first_twenty(client, campus):
    """Only the twenty communes with the most salaried employees are listed."""
    for number_ in range(25):
        code = f"25{number_ + 100:03d}"
        CommuneFactory(insee_code=code, name=f"Commune {number_}", departement=DOUBS())
        IndicatorFactory(
            key=IndicatorKey.SALARIED_HEADCOUNT,
            territory_code=code,
            year=2022,
            value=Decimal(number_ + 1),
            source=urssaf.SOURCE,
        )
    # The département's total, as the importer stores it beside its communes.
    IndicatorFactory(
        key=IndicatorKey.SALARIED_HEADCOUNT,
        territory_level=TerritoryLevel.DEPARTEMENT,
        territory_code="25",
        year=2022,
        value=Decimal(sum(range(1, 26))),
        source=urssaf.SOURCE,
    )
    # And each commune's total over the sector's codes, which the figure reads.
    urssaf.store_commune_totals()
    _, rows = download(client, "communes", "25")
    assert [row[1] for row in rows] == [str(value) for value in range(25, 5, -1)]
    page = client.get("/observatoire/emploi/communes/", {"territoire": "25"}).text
    assert "25 commune(s)" in page and "les 20 qui comptent le plus" in page


def stored_commune_totals():
    """(key, commune, year) → each commune's stored total over the sector's codes."""
    return {
        (key, code, year): int(value)
        for key, code, year, value in Indicator.objects.filter(
            source=urssaf.SOURCE, naf_code="", territory_level=TerritoryLevel.COMMUNE
        ).values_list("key", "territory_code", "year", "value")
    }


def file_commune_totals(sector=SECTOR):
    """(key, commune, year) → the sum of the file's rows of these codes, in the
    région's communes, read with csv alone."""
    totals = defaultdict(int)
    for (key, naf, commune, year), value in file_figures().items():
        if naf in sector and in_region(commune):
            totals[(key, commune, year)] += value
    return dict(totals)


def test_the_import_stores_each_commune_s_total_of_the_sector(imported):
    """Each commune of the région gets, per year, the sum of its sector's codes."""
    assert stored_commune_totals() == file_commune_totals()


def test_by_commune_reads_the_stored_totals_not_the_codes_of_each_commune(
    client, imported
):
    """The ranking reads one total per commune: the commune × code rows are not read."""
    _, before = download(client, "communes")
    Indicator.objects.filter(territory_level=TerritoryLevel.COMMUNE).exclude(
        naf_code=""
    ).delete()
    assert download(client, "communes")[1] == before


def test_importing_the_same_file_again_changes_no_commune_total(imported):
    """A second import of the same millésime leaves every stored total as it was."""
    totals = set(
        Indicator.objects.filter(naf_code="").values_list("pk", "key", "year", "value")
    )
    run = run_import("urssaf", URSSAF)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.updated) == (0, 0)
    assert (
        set(
            Indicator.objects.filter(naf_code="").values_list(
                "pk", "key", "year", "value"
            )
        )
        == totals
    )


def test_a_new_year_adds_its_totals_and_keeps_the_earlier_ones(
    client, imported, tmp_path
):
    """A file of 2023 alone adds the 2023 totals; the earlier years stay stored."""
    earlier = stored_commune_totals()
    later = tmp_path / "urssaf-2023.csv"
    later.write_text(
        "Code commune;Code APE;Nombre d'établissements 2023;Effectifs salariés 2023\n"
        "21425;1512Z;2;30\n21425;1511Z;1;4\n21231;1512Z;1;7\n21231;4399A;5;50\n",
        encoding="utf-8",
    )
    assert run_import("urssaf", later).status == ImportStatus.SUCCEEDED
    assert stored_commune_totals() == {
        **earlier,
        (HEADCOUNT, "21425", 2023): 34,
        (ESTABLISHMENTS, "21425", 2023): 3,
        (HEADCOUNT, "21231", 2023): 7,
        (ESTABLISHMENTS, "21231", 2023): 1,
    }
    _, rows = download(client, "communes")
    assert rows == [["Montbard (21425)", "34", "3"], ["Dijon (21231)", "7", "1"]]


def test_new_sector_codes_recompute_the_commune_totals(
    client, imported, run_tasks, django_capture_on_commit_callbacks
):
    """Saving the sector profile with other codes queues the recomputation; the
    totals then add up the new codes only."""
    client.force_login(UserFactory(campus_team=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/gestion/filiere/", {"name": "Maroquinerie", "naf_codes": "14.11Z"}
        )
    assert response.status_code == 302
    run_tasks()
    assert stored_commune_totals() == file_commune_totals({"14.11Z"})


def share(part, whole):
    value = (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
    # Downloads write a whole number without decimals (exports._cell).
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value}".replace(".", ",")


@pytest.mark.parametrize(
    ("territoire", "where"),
    [("", in_region), ("25", lambda c: c.startswith("25"))],
)
def test_share_of_france_per_year(client, imported, territoire, where):
    """Territory, France and share for each year France has, « aucune ligne » where the
    territory has no row that year."""
    local, france = expected(where), expected(everywhere)
    _, rows = download(client, "part-de-la-france", territoire)
    wanted = []
    for year in sorted(france):
        row = [str(year)]
        for key in (HEADCOUNT, ESTABLISHMENTS):
            part, whole = local.get(year, {}).get(key), france[year][key]
            row += [
                "aucune ligne" if part is None else str(part),
                str(whole),
                "aucune ligne" if part is None else share(part, whole),
            ]
        wanted.append(row)
    assert rows == wanted


def test_share_of_the_region_reads_in_the_summary(client, imported):
    """The summary states the région's share of France's salaried employees."""
    page = client.get("/observatoire/emploi/part-de-la-france/").text
    # 48 + 5 of 48 + 5 + 20 (Rouen): 72.6 %.
    assert "72,6\u00a0% des salariés de la filière en France (53 sur 73)" in page


def test_france_has_no_share_and_no_departements(client, imported):
    """The share and the région's breakdowns have no meaning for France as a whole."""
    for slug in ["part-de-la-france", "departements", "communes"]:
        response = client.get(f"/observatoire/emploi/{slug}/", {"territoire": "france"})
        assert "imports ne gardent que les lignes de la région" in response.text


@pytest.mark.parametrize(
    "slug", ["evolution", "activites", "departements", "communes", "part-de-la-france"]
)
def test_without_any_import_each_figure_names_the_missing_import(client, campus, slug):
    """Before any Urssaf import, every figure says which file to import."""
    response = client.get(f"/observatoire/emploi/{slug}/")
    assert response.status_code == 200
    assert "importez le fichier Urssaf" in response.text


@pytest.mark.parametrize("slug", ["evolution", "activites", "part-de-la-france"])
def test_a_territory_without_rows_says_so(client, imported, slug):
    """A commune the file has no row for gets an empty state, not zeros."""
    response = client.get(f"/observatoire/emploi/{slug}/", {"territoire": "21001"})
    assert "ne compte aucun salarié ni établissement employeur" in response.text
    assert "Agencourt (21001)" in response.text


def test_another_sector_gets_its_own_figures(client, imported):
    """Switching the sector profile to aeronautics (30.30Z) drops the leather codes."""
    sector = SectorProfile.load()
    sector.naf_codes = "30.30Z"
    sector.save()
    text = client.get("/observatoire/emploi/").text
    assert "codes NAF de la filière : 30.30Z" in text
    assert "15.12Z" not in text


def test_the_theme_page_reads_as_many_queries_whatever_the_rows(
    client, imported, tmp_path, django_assert_num_queries
):
    """The page's cost does not grow with the years and communes imported."""
    with CaptureQueriesContext(connection) as first:
        assert client.get("/observatoire/emploi/").status_code == 200
    later = tmp_path / "later.csv"
    later.write_text(
        "Code commune;Code APE;Nombre d'établissements 2023;Effectifs salariés 2023\n"
        + "".join(f"25{n:03d};1512Z;1;{n}\n" for n in range(100, 140)),
        encoding="utf-8",
    )
    for n in range(100, 140):
        CommuneFactory(
            insee_code=f"25{n:03d}", name=f"Commune {n}", departement=DOUBS()
        )
    assert run_import("urssaf", later).status == ImportStatus.SUCCEEDED
    with django_assert_num_queries(len(first)):
        assert client.get("/observatoire/emploi/").status_code == 200


def test_the_share_has_its_definition_in_the_glossary(client, imported):
    """The share's definition says what France's total is made of."""
    response = client.get("/observatoire/definitions/part-de-la-france/")
    assert response.status_code == 200
    assert "toutes les lignes de la filière du fichier importé" in response.text
    assert "/observatoire/emploi/part-de-la-france/" in response.text
    assert "Part de la France" in client.get("/observatoire/definitions/").text


def test_by_commune_of_a_departement_is_drawn_on_its_communes(client, imported):
    """A département's ranking is also a map of its communes, from the shipped
    commune layer, beside the same table; the région's, spread over two
    départements, keeps its table alone."""
    page = client.get("/observatoire/emploi/communes/", {"territoire": "21"}).text
    assert 'class="choropleth choropleth--communes" aria-hidden="true"' in page
    assert "Salariés (salariés) par commune :" in page
    # One path per shade: the communes of the ranking, and the 21's hundreds of others.
    assert page.count('<path class="choropleth__area') >= 2
    blank = re.search(r'choropleth__area--none" d="([^"]*)"', page)[1]
    assert blank.count("M") > 500
    assert "aucune donnée" in page
    assert '<a href="?territoire=21425">Montbard (21425)</a>' in page
    page = client.get("/observatoire/emploi/communes/").text
    assert "choropleth--communes" not in page
    assert '<a href="?territoire=25056">Besançon (25056)</a>' in page
