"""Full downloads of the national catalogue: time and peak memory, CSV and XLSX.

Uses the national dataset of trainings_bench.py (300,000 offerings, generated once
in its own database) and downloads /telecharger/formations.csv and .xlsx without a
filter, each in a fresh Python process through Django's test client (middleware,
view, writers; no network), reading the whole response. Each scenario reports its
wall time and the process's peak resident memory (Linux's VmHWM, reset once Django is set
up) against what the process held then, next to two baselines over the same rows and
columns: a plain scan (`values_list().iterator()`, each row read and dropped) and a
list of all rows in memory (what streaming avoids).

    .venv/bin/python bench/exports_bench.py --database sqlite
    .venv/bin/python bench/exports_bench.py --database postgres

Not a test: timings depend on the machine.
"""

import json
import os
import subprocess
import sys
import time

from common import POSTGRES_SERVER, argument_parser, prepare, write_report
from trainings_bench import OFFERINGS, POSTGRES_DATABASE, SQLITE_PATH, generate

SCENARIOS = {
    "scan": "Parcours simple des lignes (values_list().iterator())",
    "list": "Toutes les lignes dans une liste (sans flux, pour comparer)",
    "csv": "Téléchargement CSV en flux (/telecharger/formations.csv)",
    "xlsx": "Téléchargement XLSX (écriture seule, fichier temporaire)",
}


def setup_only(database: str) -> None:
    if database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    os.environ.setdefault("CAMPUS_DEMO", "1")
    os.environ.setdefault("CAMPUS_PAGE_CACHE_SECONDS", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campus.settings")
    import django

    django.setup()


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def current_rss_mb() -> float:
    return _status_mb("VmRSS")


def reset_peak_rss() -> None:
    """Starts Linux's high-water mark (VmHWM) again from the current RSS, so that
    the peak of Django's start-up does not hide the scenario's."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def peak_rss_mb() -> float:
    return _status_mb("VmHWM")


def run_scenario(name: str) -> dict:
    """In this process: one scenario, measured; its figures as a dict."""
    from django.test import Client, RequestFactory

    from campus.api.downloads import CHUNK_SIZE, get_export

    export = get_export("formations")
    fields = [column.field for column in export.columns]
    # Every module and the first query loaded before the clock starts.
    rows = export.rows(RequestFactory().get("/telecharger/formations.csv"))
    rows.values_list(*fields)[:1].count()
    reset_peak_rss()
    before = current_rss_mb()
    started = time.perf_counter()
    count, size = 0, 0
    if name == "scan":
        for _row in rows.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            count += 1
    elif name == "list":
        count = len(list(rows.values_list(*fields)))
    else:
        response = Client().get(f"/telecharger/formations.{name}")
        assert response.status_code == 200, response.status_code
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
        count = rows.count()
    seconds = time.perf_counter() - started
    return {
        "rows": count,
        "bytes": size,
        "seconds": seconds,
        "rss_before_mb": before,
        "rss_peak_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0], regenerate=True)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), help="internal")
    args = parser.parse_args()
    if args.scenario:
        # The parent migrated the database: here Django alone, so that the peak
        # memory of a migration does not hide the scenario's.
        setup_only(args.database)
        print(json.dumps(run_scenario(args.scenario)))
        return
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from campus.trainings.models import Offering

    if args.regenerate or Offering.objects.count() != OFFERINGS:
        print(f"Generating the national dataset on {args.database}…", flush=True)
        generate()
    published = Offering.objects.published().count()
    results = []
    for name, label in SCENARIOS.items():
        output = subprocess.run(
            [sys.executable, __file__, "--database", args.database, "--scenario", name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        print(f"  {label}: {figures}", flush=True)
        results.append((label, figures))
    lines = [
        f"### {args.database}",
        "",
        f"{published:_} offres publiées exportées (sur {OFFERINGS:_}), 22 colonnes ; "
        "chaque scénario dans un processus neuf.".replace("_", " "),
        "",
        "| Scénario | lignes | taille (Mo) | durée (s) | durée / parcours | "
        "mémoire avant (Mo) | pic (Mo) | pic − avant (Mo) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    baseline = results[0][1]["seconds"]
    for label, f in results:
        lines.append(
            f"| {label} "
            + f"| {f['rows']:,} | {f['bytes'] / 1e6:.1f} ".replace(",", " ")
            + f"| {f['seconds']:.1f} | × {f['seconds'] / baseline:.1f} "
            f"| {f['rss_before_mb']:.0f} | {f['rss_peak_mb']:.0f} "
            f"| {f['rss_peak_mb'] - f['rss_before_mb']:.0f} |"
        )
    write_report("exports", args.database, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
