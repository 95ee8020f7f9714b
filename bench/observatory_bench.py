"""The observatory's pages at national scale, on SQLite or PostgreSQL.

Generates (once) in a database of its own the national catalogue of
`trainings_bench.py` (36,000 communes in 101 départements, 100,000 organisations,
300,000 offerings), then writes a national Urssaf file in the real published
layout (every commune × 30 NAF codes, all of them the sector's, × 10 years: about
1.1 million rows) and imports it with `import_data urssaf`, timed against a plain
`csv` scan of the same file. The campus is région 01's. If the observatory's
aggregates have a refresh command (`refresh_observatory`), it runs too.

Then it requests every observatory page in-process (the home, each theme, each
figure and its CSV, for the région, a département, a commune and France) through
Django's test client and reports p50 and p95 per scenario with the ratio to the
plain template page measured in the same run.

    .venv/bin/python bench/observatory_bench.py --database sqlite
    .venv/bin/python bench/observatory_bench.py --database postgres

Not a test: timings depend on the machine. `make bench` runs both databases.
"""

import csv
import random
import time

import trainings_bench
from common import (
    BENCH_DIR,
    argument_parser,
    prepare,
    report,
    summarise,
    take_turns,
    write_report,
)

SQLITE_PATH = BENCH_DIR / "observatory.sqlite3"
POSTGRES_DATABASE = "campus_bench_observatory"
URSSAF_FILE = BENCH_DIR / "urssaf-national.csv"
NAF_CODES = [f"{n:02d}.{m:02d}Z" for n in (13, 14, 15, 32) for m in range(10, 18)][:30]
YEARS = range(2014, 2024)
SEED = 20261130
DESCRIPTIVE = [
    "Région", "Ancienne région", "Département", "Zone d'emploi", "EPCI",
    "Nom commune", "Commune", "Grand secteur d'activité", "Secteur NA17",
    "Secteur NA38", "Secteur NA88", "APE", "Code région", "Code ancienne région",
    "Code département", "Code zone d'emploi", "Code EPCI", "Code commune", "Code APE",
]  # fmt: skip


def write_urssaf_file() -> int:
    """The national file, as open.urssaf.fr publishes it (UTF-8 with a BOM, `;`)."""
    from campus.places.models import Commune

    rng = random.Random(SEED)
    communes = list(
        Commune.objects.values_list(
            "insee_code", "name", "departement__code", "departement__region__code"
        )
    )
    header = DESCRIPTIVE + [
        label for year in YEARS for label in
        (f"Nombre d'établissements {year}", f"Effectifs salariés {year}")
    ]  # fmt: skip
    rows = 0
    URSSAF_FILE.parent.mkdir(parents=True, exist_ok=True)
    with URSSAF_FILE.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for insee, name, dep, region in communes:
            for naf in NAF_CODES:
                figures = []
                for _year in YEARS:
                    establishments = rng.randint(0, 4)
                    figures += (
                        [establishments, establishments * rng.randint(1, 12)]
                        if establishments
                        else ["", ""]
                    )
                writer.writerow(
                    [f"Région {region}", "", f"Département {dep}", "", "", name,
                     f"{insee} {name}", "Industrie", "", "", "", naf,
                     region, "", dep, "", "", insee, naf.replace(".", "")]
                    + figures
                )  # fmt: skip
                rows += 1
    return rows


def plain_scan() -> float:
    started = time.perf_counter()
    with URSSAF_FILE.open(encoding="utf-8-sig", newline="") as stream:
        for _row in csv.reader(stream, delimiter=";"):
            pass
    return time.perf_counter() - started


def dataset_note(database: str):
    return BENCH_DIR / f"observatory-dataset-{database}.txt"


def generate(database: str) -> str:
    from django.core.management import call_command, get_commands

    from campus.places.models import Region
    from campus.profiles.models import CampusProfile, SectorProfile

    # The national catalogue replaces every région: the campus lets go of its own first.
    CampusProfile.objects.all().delete()
    trainings_bench.generate()
    campus = CampusProfile.load()
    campus.region = Region.objects.get(code="01")
    campus.save()
    sector = SectorProfile.load()
    sector.naf_codes = " ".join(NAF_CODES)
    sector.save()
    started = time.perf_counter()
    rows = write_urssaf_file()
    written = time.perf_counter() - started
    scan = plain_scan()
    started = time.perf_counter()
    call_command("import_data", "urssaf", str(URSSAF_FILE), verbosity=0)
    imported = time.perf_counter() - started
    refreshed = ""
    if "refresh_observatory" in get_commands():
        started = time.perf_counter()
        call_command("refresh_observatory", verbosity=0)
        refreshed = f", `refresh_observatory` {time.perf_counter() - started:.0f} s"
    note = (
        f"Fichier Urssaf national : {rows:_} lignes × {len(YEARS)} années, écrit en "
        f"{written:.0f} s ; lecture `csv` seule {scan:.1f} s, import "
        f"{imported:.0f} s (× {imported / scan:.1f}){refreshed}."
    ).replace("_", " ")
    dataset_note(database).write_text(note, encoding="utf-8")
    print(note, flush=True)
    return note


def scenarios() -> dict[str, list[str]]:
    from django.urls import reverse

    from campus.observatory.figures import FIGURES, THEMES
    from campus.places.models import Commune

    commune = (
        Commune.objects.filter(departement__region__code="01")
        .order_by("insee_code")
        .values_list("insee_code", "departement__code")
        .first()
    )
    territories = ["", f"?territoire={commune[1]}", f"?territoire={commune[0]}"]
    territories.append("?territoire=france")
    found = {"Page modèle sans requête (mentions légales)": ["/mentions-legales/"]}
    found["Observatoire : accueil"] = [
        reverse("observatory:home") + t for t in territories
    ]
    for slug, theme in THEMES.items():
        found[f"Thème « {theme.title} »"] = [
            reverse("observatory:theme", args=[slug]) + t for t in territories
        ]
    for (theme, slug), figure in FIGURES.items():
        found[f"Chiffre « {figure.title} »"] = [
            reverse("observatory:figure", args=[theme, slug]) + t for t in territories
        ]
    found["Téléchargements CSV (tous les chiffres)"] = [
        reverse("observatory:download", args=[theme, slug, "csv"]) + t
        for theme, slug in FIGURES
        for t in territories
    ]
    return found


def measure(repetitions: int) -> list[tuple[str, float, float, int]]:
    from django.test import Client

    return summarise(take_turns(Client(), scenarios(), repetitions))


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from campus.observatory.models import Indicator
    from campus.trainings.models import Offering

    note_file = dataset_note(args.database)
    if (
        args.regenerate
        or Offering.objects.count() != trainings_bench.OFFERINGS
        or not Indicator.objects.exists()
        or not note_file.exists()
    ):
        print(f"Generating the national dataset on {args.database}…", flush=True)
        generate(args.database)
    dataset = (
        f"{note_file.read_text(encoding='utf-8')} "
        f"{Indicator.objects.count():_} indicateurs stockés, "
        f"{Offering.objects.count():_} offres de formation.".replace("_", " ")
    )
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    text = report(args.database, dataset, measure(args.repetitions))
    write_report("observatory", args.database, text)


if __name__ == "__main__":
    main()
