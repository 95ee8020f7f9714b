import csv
import io
import re
from collections import defaultdict

from campus.demo import load_demo_campus
from campus.observatory.models import Indicator
from campus.opendata.demo import DATA
from campus.opendata.importers import urssaf
from campus.opendata.models import ImportRun, ImportSource, ImportStatus

SHIPPED = DATA / "urssaf-commune-ape_76-seine-maritime.csv"


def shipped_france_totals(naf_codes):
    """Year → (headcount, establishments) of the shipped file's rows of these
    codes, read with the csv module alone."""
    totals = defaultdict(lambda: [None, None])
    with SHIPPED.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream, delimiter=";"):
            if row["Code APE"] not in naf_codes:
                continue
            for column, value in row.items():
                match = re.fullmatch(
                    r"(Nombre d'établissements|Effectifs salariés) (\d{4})", column
                )
                if match and value:
                    position = 1 if "Nombre" in column else 0
                    year = totals[int(match[2])]
                    year[position] = (year[position] or 0) + int(value)
    return {year: tuple(values) for year, values in sorted(totals.items())}


def test_the_demo_imports_the_shipped_urssaf_extract_once(client, db):
    """The demo imports the real Urssaf extract as a labelled run, once; its rows
    are all outside the demo's région, so the observatory shows them under France
    and says the région has none."""
    load_demo_campus()
    runs = ImportRun.objects.filter(source=ImportSource.URSSAF)
    assert list(runs.values_list("status", flat=True)) == [ImportStatus.SUCCEEDED]
    assert "Urssaf" in runs.get().attribution
    urssaf_rows = Indicator.objects.filter(source=urssaf.SOURCE).order_by("pk")
    before = list(urssaf_rows.values())
    load_demo_campus()
    assert runs.count() == 1
    assert list(urssaf_rows.values()) == before

    body = client.get(
        "/observatoire/emploi/evolution.csv", {"territoire": "france"}
    ).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body), delimiter=";"))
    start = lines.index([]) + 2
    expected = shipped_france_totals(
        {"1511Z", "1512Z", "1411Z", "3212Z", "3213Z", "2599B"}
    )
    assert {
        int(year): tuple(None if v == "non diffusé" else int(v) for v in values)
        for year, *values in lines[start:]
    } == expected
    assert expected[2022] == (1, 1)  # Yerville's one maroquinier.
    region = client.get("/observatoire/emploi/").text
    assert "« urssaf-commune-ape_76-seine-maritime.csv »" in region
    assert "ne compte aucun salarié" in region
