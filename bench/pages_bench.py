"""Public pages on the demo data against a trivial page, on SQLite or PostgreSQL.

Loads the demo campus (`load_demo`) into a fresh database of its own, then:

1. requests each public page in-process through Django's test client (middleware,
   view, template, database; no network or WSGI server), round-robin so that every
   page sees the same machine load, and reports p50 and p95 with the ratio to the
   trivial page measured in the same run;
2. unless `--wrk-duration 0`, starts gunicorn on 127.0.0.1 with the demo's worker
   count and runs `wrk` against each page (50 connections by default), in
   `--wrk-rounds` rounds of duration / rounds seconds a page, so that a change in the
   machine's load hits every page alike; it reports the median requests per second
   of the rounds and the ratio to the trivial page.

The trivial page is the legal notice (`/mentions-legales/`): a template-only page
with the site's base template, its middleware and the one query for the campus
profile that every page makes.

Both steps run for each mode (`--page-cache both` by default): cold, with the cache
of anonymous pages off (CAMPUS_PAGE_CACHE_SECONDS=0, every request builds its page,
reading back the parts kept since they were built, campus/fragments.py, as a later
visitor does); cold after a write, three modes where the same write comes before
every request (any table: every stamp changes, as after an import; a partner's
organisation listing; a registration for an event), so that each page rebuilds what
read the tables written, as for the first visitor after that write (in process
only, wrk does not write); then warm, with the page cache on (the first request
builds the page, the others are served from memory while nothing it read is
written). `--page-cache cold` runs the cold modes. `--wrk-core` limits wrk to the
pages the issue names (trivial, home, catalogue, directory, trades). `--all-public N` times,
instead of the pages named below, one address per public view (and one with a
query string), found by crawling up to N pages from the home page as an anonymous
visitor, in process only: every public page should stay within × 2.5 of the
trivial page.

    .venv/bin/python bench/pages_bench.py --database sqlite
    .venv/bin/python bench/pages_bench.py --database postgres --wrk-duration 10

Not a test: timings depend on the machine. `make bench` runs both databases.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

from common import (
    BENCH_DIR,
    POSTGRES_SERVER,
    ROOT,
    argument_parser,
    free_port,
    p50_p95,
    timed_get,
)

POSTGRES_DATABASE = "bench_k"
TRIVIAL = "Page modèle (mentions légales)"
# The demo's gunicorn (`make demo`) runs two workers.
DEMO_WORKERS = 2
# Public pages must stay within these bounds of the trivial page (issue 10).
MAX_RATIO = 2.5
MIN_THROUGHPUT_SHARE = 0.40


# Seconds an anonymous page is kept, warm; 0 is the cold run.
CACHE_MODES = {
    "froid": 0,
    "froid après écriture": 0,
    "froid après la fiche d'un acteur": 0,
    "froid après une inscription": 0,
    "chaud": 60,
}
# Cold, each page is built, but the parts kept (campus/fragments.py) are read back
# as a later visitor reads them. In the modes below a write comes before every
# request (untimed), and each page rebuilds what read the tables written, as for the
# first visitor after that write: any table (an import, a restored database: every
# stamp), a partner saving their organisation's listing, a visitor registering for
# an event. wrk does not write: these modes are timed in process only.
WRITE_BEFORE_EACH = {
    "froid après écriture": "everything",
    "froid après la fiche d'un acteur": "organisation",
    "froid après une inscription": "registration",
}
WRITES_TOLD = {
    "everything": "toute table (une importation : toutes les empreintes changent)",
    "organisation": "la fiche d'un acteur, enregistrée par son éditeur",
    "registration": "une inscription à un événement",
}
CORE_PAGES = {"Accueil", "Catalogue des formations", "Annuaire", "Métiers"}


def database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{BENCH_DIR / 'pages.sqlite3'}"
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def environment(database: str, cache_seconds: int = 0) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url(database),
        "CAMPUS_PAGE_CACHE_SECONDS": str(cache_seconds),
        "CAMPUS_DEMO": "1",
        "CAMPUS_VAR_DIR": str(BENCH_DIR / f"pages-{database}"),
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "campus.settings",
    }


def fresh_database(database: str) -> None:
    """An empty database: the SQLite file removed, the PostgreSQL one recreated."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(BENCH_DIR / f"pages-{database}", ignore_errors=True)
    if database == "sqlite":
        for suffix in ["", "-wal", "-shm"]:
            (BENCH_DIR / f"pages.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')


def setup(database: str) -> None:
    fresh_database(database)
    os.environ.update(environment(database))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    # Pages are served as in production, with hashed static names.
    call_command("collectstatic", interactive=False, verbosity=0)


def pages() -> dict[str, str]:
    from campus.agenda.models import Event
    from campus.network.models import Organisation
    from campus.news.models import Article
    from campus.trades.models import Trade
    from campus.trainings.models import Offering

    offering = Offering.objects.published().order_by("pk").first()
    organisation = Organisation.objects.published().order_by("pk").first()
    trade = Trade.objects.published().order_by("pk").first()
    event = Event.objects.published().order_by("starts_at", "pk").first()
    article = Article.objects.published().first()
    return {
        TRIVIAL: "/mentions-legales/",
        "Accueil": "/",
        "Catalogue des formations": "/formations/",
        "Catalogue : recherche « maroquinerie »": "/formations/?q=maroquinerie",
        "Annuaire": "/annuaire/",
        "Métiers": "/metiers/",
        "Carte": "/carte/",
        "Fiche formation": f"/formations/{offering.pk}/",
        "Fiche organisation": f"/annuaire/{organisation.slug}/",
        "Fiche métier": f"/metiers/{trade.slug}/",
        "Agenda": "/agenda/",
        "Fiche événement": event.get_absolute_url(),
        "Actualités": "/actualites/",
        "Article": article.get_absolute_url(),
    }


# Addresses the crawl of `--all-public` does not follow: files (downloads count
# against their rate limit), static and media files, pages for signed-in visitors,
# which answer a login page, and the versioned API, which counts each client's
# requests (bench/api_bench.py measures it).
NOT_PAGES = re.compile(r"\.\w{2,7}(\?|$)")


def public_pages(limit: int) -> dict[str, str]:
    """One address per public view (and one more with a query string), found by
    following the links of the public pages from the home page as an anonymous
    visitor would, in breadth-first order, up to `limit` pages read."""
    from django.test import Client
    from django.urls import Resolver404, resolve

    from campus.profiles.views import ROBOTS_DISALLOW

    client = Client()
    skipped = ("/static/", "/media/", "/admin/", "/api/v1/", *ROBOTS_DISALLOW)
    found = {TRIVIAL: "/mentions-legales/"}
    queue, seen = ["/"], {"/"}
    while queue and len(seen) <= limit:
        url = queue.pop(0)
        path = url.split("?")[0]
        try:
            view = resolve(path).view_name
        except Resolver404:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        found.setdefault(view + (" (avec paramètres)" if "?" in url else ""), url)
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            href = href.replace("&amp;", "&")
            if (
                href not in seen
                and not href.startswith(skipped)
                and not NOT_PAGES.search(href)
            ):
                seen.add(href)
                queue.append(href)
    return found


def writer(kind: str | None):
    """The write made before each request of a mode, or None."""
    from django.db import connection
    from django.db.models import F

    from campus import page_cache
    from campus.agenda.models import Registration
    from campus.network.models import Organisation

    if kind is None:
        return None
    if kind == "everything":
        return lambda: page_cache.bump(connection)
    # The same values written back: each page shows the same, but the table's
    # stamp changes as with any save.
    if kind == "organisation":
        listing = Organisation.objects.published().order_by("pk").first()
        return lambda: Organisation.objects.filter(pk=listing.pk).update(name=F("name"))
    registration = Registration.objects.order_by("pk").first()
    assert registration, "the demo has no registration"
    return lambda: Registration.objects.filter(pk=registration.pk).update(
        places=F("places")
    )


def measure(
    urls: dict[str, str],
    repetitions: int,
    cache_seconds: int,
    *,
    write: str | None = None,
) -> dict[str, tuple[float, float]]:
    """p50 and p95 a page; with `write`, that write (see `writer`) comes, untimed,
    before every request."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    from campus import fragments

    settings.CAMPUS_PAGE_CACHE_SECONDS = cache_seconds
    caches["pages"].clear()
    fragments.clear()
    client = Client()
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    write_now = writer(write)
    timings: dict[str, list[float]] = {label: [] for label in urls}
    for _ in range(repetitions):
        for label, url in urls.items():
            if write_now:
                write_now()
            timings[label].append(timed_get(client, url))
    return {label: p50_p95(values) for label, values in timings.items()}


def start_gunicorn(database: str, port: int, cache_seconds: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "campus.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(DEMO_WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **environment(database, cache_seconds)},
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def run_wrk(url: str, duration: int, connections: int) -> tuple[float, int]:
    """Requests per second and non-2xx answers of one wrk run."""
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def throughput(
    database: str,
    urls: dict[str, str],
    duration: int,
    connections: int,
    rounds: int,
    cache_seconds: int,
) -> dict[str, tuple[float, int]]:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk (or --wrk-duration 0)")
    port = free_port()
    server = start_gunicorn(database, port, cache_seconds)
    try:
        runs: dict[str, list[tuple[float, int]]] = {label: [] for label in urls}
        for url in urls.values():
            # A short warm-up so that every worker has its templates loaded.
            run_wrk(f"http://127.0.0.1:{port}{url}", 1, connections)
        for _ in range(rounds):
            for label, url in urls.items():
                runs[label].append(
                    run_wrk(
                        f"http://127.0.0.1:{port}{url}",
                        max(duration // rounds, 1),
                        connections,
                    )
                )
        results = {}
        for label, values in runs.items():
            rate = statistics.median(rate for rate, _errors in values)
            results[label] = (rate, sum(errors for _rate, errors in values))
            print(f"  wrk {label}: {rate:.1f} req/s", flush=True)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(database, mode, urls, latencies, rates, args) -> str:
    trivial_p50 = latencies[TRIVIAL][0]
    if mode in WRITE_BEFORE_EACH:
        cache = (
            "cache des pages éteint, et avant chaque requête une écriture : "
            f"{WRITES_TOLD[WRITE_BEFORE_EACH[mode]]}. Chaque requête reconstruit ce "
            "qui lisait les tables écrites, comme pour le premier visiteur après "
            "cette écriture"
        )
    elif CACHE_MODES[mode] == 0:
        cache = (
            "cache des pages éteint : chaque requête construit sa page, en relisant "
            "les parties gardées depuis la dernière écriture (campus/fragments.py)"
        )
    else:
        cache = (
            "cache des pages allumé : la première requête construit la page, "
            "les suivantes la reçoivent de la mémoire"
        )
    lines = [
        f"### {database}, à {mode}",
        "",
        f"{cache.capitalize()}.",
        "",
        f"{args.repetitions} requêtes par page en processus (tour à tour)"
        + (
            f" ; wrk {args.wrk_duration} s par page en {args.wrk_rounds} tours "
            f"(médiane des tours), {args.connections} connexions, gunicorn "
            f"{DEMO_WORKERS} workers sur 127.0.0.1."
            if rates
            else "."
        ),
        "",
        "| Page | Adresse | p50 (ms) | p95 (ms) | p50 / modèle |"
        + (" req/s (wrk) | part du débit modèle |" if rates else ""),
        "| --- | --- | ---: | ---: | ---: |" + (" ---: | ---: |" if rates else ""),
    ]
    failures = []
    for label, url in urls.items():
        p50, p95 = latencies[label]
        ratio = p50 / trivial_p50
        line = f"| {label} | `{url}` | {p50:.1f} | {p95:.1f} | × {ratio:.2f} |"
        if ratio > MAX_RATIO:
            failures.append(f"{label}: × {ratio:.2f}")
        if label in rates:
            rate, errors = rates[label]
            share = rate / rates[TRIVIAL][0]
            line += f" {rate:.1f} | {share:.0%} |"
            if errors:
                failures.append(f"{label}: {errors} réponses en erreur sous wrk")
            if share < MIN_THROUGHPUT_SHARE:
                failures.append(f"{label}: {share:.0%} du débit")
        elif rates:
            line += " – | – |"
        lines.append(line)
    lines.append("")
    lines.append(
        "Hors objectif (× 2,5 en p50, 40 % du débit) : " + "; ".join(failures)
        if failures
        else "Toutes les pages dans l'objectif (× 2,5 en p50, 40 % du débit)."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    # --postgres-database replaces the default for database_url() and fresh_database().
    global POSTGRES_DATABASE
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--wrk-duration",
        type=int,
        default=60,
        help="seconds of wrk per page (0: no throughput run)",
    )
    parser.add_argument("--wrk-rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--wrk-core",
        action="store_true",
        help="wrk on the trivial page, home, catalogue, directory and trades only",
    )
    parser.add_argument(
        "--page-cache", choices=["both", "cold", "warm"], default="both"
    )
    parser.add_argument(
        "--all-public",
        type=int,
        metavar="N",
        default=0,
        help="time one address per public view, found by crawling up to N pages "
        "from the home page, instead of the pages the issue names",
    )
    parser.add_argument(
        "--postgres-database",
        default=POSTGRES_DATABASE,
        help="the PostgreSQL database the bench drops and recreates",
    )
    args = parser.parse_args()
    if not (
        1 <= args.repetitions <= 10_000
        and 0 <= args.wrk_duration <= 600
        and 1 <= args.wrk_rounds <= 10
        and 1 <= args.connections <= 200
        and 0 <= args.all_public <= 10_000
    ):
        sys.exit(
            "--repetitions 1..10000, --wrk-duration 0..600, --wrk-rounds 1..10, "
            "--connections 1..200, --all-public 0..10000"
        )

    POSTGRES_DATABASE = args.postgres_database
    cold = [mode for mode, seconds in CACHE_MODES.items() if seconds == 0]
    modes = {"both": [*cold, "chaud"], "cold": cold, "warm": ["chaud"]}
    print(f"Loading the demo campus into a fresh {args.database} database…")
    setup(args.database)
    urls = public_pages(args.all_public) if args.all_public else pages()
    wrk_urls = {
        label: url
        for label, url in urls.items()
        if not args.wrk_core or label == TRIVIAL or label in CORE_PAGES
    }
    texts = []
    for mode in modes[args.page_cache]:
        seconds = CACHE_MODES[mode]
        print(f"Measuring on {args.database}, {mode} ({args.repetitions} a page)…")
        write = WRITE_BEFORE_EACH.get(mode)
        latencies = measure(urls, args.repetitions, seconds, write=write)
        for label, (p50, p95) in latencies.items():
            print(f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        rates = {}
        # wrk runs on the pages the issue names; the crawl's pages are timed in process.
        if args.wrk_duration and not write and not args.all_public:
            from django.db import connections

            connections.close_all()
            rates = throughput(
                args.database,
                wrk_urls,
                args.wrk_duration,
                args.connections,
                args.wrk_rounds,
                seconds,
            )
        texts.append(report(args.database, mode, urls, latencies, rates, args))
    text = "\n".join(texts)
    suffix = "-all" if args.all_public else ""
    output = BENCH_DIR / f"pages-{args.database}{suffix}.md"
    output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
