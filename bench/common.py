"""What the in-process benches share: their database, the command line, the timing
of a request and the report's table.

Importing it puts the repository on the path, so that a bench imports `campus`.
"""

import argparse
import os
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def argument_parser(
    description: str, *, regenerate: bool = False
) -> argparse.ArgumentParser:
    """`--database sqlite|postgres` and `--repetitions` (200), which every bench
    takes, and `--regenerate` for a bench that keeps its dataset."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--repetitions", type=int, default=200)
    if regenerate:
        parser.add_argument(
            "--regenerate",
            action="store_true",
            help="rebuild the dataset even if present",
        )
    return parser


def prepare(database: str, sqlite_path: Path, postgres_database: str) -> None:
    """Django on the bench's own database, created if missing (its data is kept),
    migrated, with the static files collected."""
    if database == "sqlite":
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    else:
        create_postgres_database(postgres_database)
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{postgres_database}"
    os.environ.setdefault("CAMPUS_DEMO", "1")
    # What a page costs to build: a bench that repeats a URL would otherwise time
    # the page cache (campus/page_cache.py), which pages_bench.py measures apart.
    os.environ.setdefault("CAMPUS_PAGE_CACHE_SECONDS", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campus.settings")
    import django

    django.setup()
    migrate_and_collect_static()


def free_port() -> int:
    """A TCP port nothing listens on, for a server a bench starts on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def create_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate_and_collect_static() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Pages are served as in production, with hashed static names.
    call_command("collectstatic", interactive=False, verbosity=0)


def timed_get(client, url: str) -> float:
    """Milliseconds to answer one GET."""
    started = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - started) * 1000


def take_turns(client, plan: dict[str, list[str]], repetitions: int, *, allowed=(200,)):
    """Times `repetitions` GETs per scenario, the scenarios taking turns so that a
    change in the machine's load hits them all alike (the ratio to the trivial
    page stays meaningful); each URL is checked once first. Returns the timings
    (ms) per scenario label."""
    for urls in plan.values():
        for url in urls:
            status = client.get(url).status_code
            assert status in allowed, (url, status)
    timings = {label: [] for label in plan}
    for n in range(repetitions):
        for label, urls in plan.items():
            timings[label].append(timed_get(client, urls[n % len(urls)]))
    return timings


def summarise(timings: dict[str, list[float]]) -> list[tuple[str, float, float, int]]:
    """`(scenario, p50, p95, requests)` rows for `report`, printed as they come."""
    results = []
    for label, values in timings.items():
        p50, p95 = p50_p95(values)
        results.append((label, p50, p95, len(values)))
        print(f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    return results


def p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[max(int(len(values) * 0.95) - 1, 0)]


def report(database: str, dataset: str, results) -> str:
    """The Markdown table of `(scenario, p50, p95, requests)`, the first scenario
    being the template page the others are compared to."""
    baseline = results[0][1]
    lines = [
        f"### {database}",
        "",
        dataset,
        "",
        "| Scénario | p50 (ms) | p95 (ms) | p50 / page modèle | requêtes |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, p50, p95, n in results:
        lines.append(
            f"| {label} | {p50:.1f} | {p95:.1f} | × {p50 / baseline:.1f} | {n} |"
        )
    return "\n".join(lines) + "\n"


def write_report(name: str, database: str, text: str) -> None:
    output = BENCH_DIR / f"{name}-{database}.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(text)


REGION_DEPARTEMENTS = ["21", "25", "39", "58", "70", "71", "89", "90"]


def generate_region(rng, communes: int):
    """A bench's campus and its région of 8 départements and `communes` communes,
    scattered over Bourgogne-Franche-Comté's box, after the caller has emptied the
    tables that point at them. Returns (région, départements, communes)."""
    from campus.places.models import Commune, Departement, Region
    from campus.profiles.models import CampusProfile
    from campus.search import fold, fold_parts

    Departement.objects.all().delete()
    Region.objects.all().delete()
    CampusProfile.objects.all().delete()
    region = Region.objects.create(code="27", name="Bourgogne-Franche-Comté")
    CampusProfile.objects.create(name="Campus du banc d'essai", region=region)
    departements = Departement.objects.bulk_create(
        Departement(code=code, name=f"Département {code}", region=region)
        for code in REGION_DEPARTEMENTS
    )
    created = Commune.objects.bulk_create(
        [
            Commune(
                insee_code=f"{departements[n % 8].code}{n // 8:03d}",
                name=f"Commune {n}",
                search_name=fold_parts(f"Commune {n}", f"{n:05d}"),
                folded_name=fold(f"Commune {n}"),
                departement=departements[n % 8],
                postal_codes=f"{n:05d}",
                latitude=46.5 + rng.uniform(0, 1.8),
                longitude=3.0 + rng.uniform(0, 4.0),
                population=rng.randint(50, 50_000),
            )
            for n in range(communes)
        ],
        batch_size=2000,
    )
    return region, departements, created
