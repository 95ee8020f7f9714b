"""The team's gap view at national scale: 50,000 needs against 300,000 offerings.

Generates (once) the trainings bench's national dataset (36,000 communes,
100,000 organisations, 300,000 offerings) in a database of its own, then 50,000
needs of those organisations, on the catalogue's trades and on two trades no
certification prepares for. Requests the gap view, its map's GeoJSON and its
XLSX export in-process through Django's test client as a team member, and
reports p50 and p95 per scenario with the ratio to a plain template page measured in the same run. The
table is cached (campus/needs/gaps.py): « cache vide » empties the cache before
each request, the other scenarios are measured after a first request.

    .venv/bin/python bench/needs_bench.py --database sqlite
    .venv/bin/python bench/needs_bench.py --database postgres

Not a test: timings depend on the machine.
"""

import random
import time
from datetime import date, timedelta

from common import (
    BENCH_DIR,
    argument_parser,
    p50_p95,
    prepare,
    report,
    timed_get,
    write_report,
)
from trainings_bench import OFFERINGS, SPECIALITIES
from trainings_bench import generate as generate_catalogue

SQLITE_PATH = BENCH_DIR / "needs.sqlite3"
POSTGRES_DATABASE = "campus_bench_needs"

NEEDS = 50_000
SEED = 20261130
# Trades of needs that no certification of the catalogue names.
UNTAUGHT = ["H2409", "B1610"]
TEAM_EMAIL = "equipe-bench@campus.example"


def generate_needs() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from campus.needs.models import Contract, Need, NeedKind, NeedStatus, route_for
    from campus.network.models import Organisation
    from campus.places.models import Commune

    rng = random.Random(SEED)
    started = time.perf_counter()
    codes = sorted({rome for _speciality, rome, _weight in SPECIALITIES}) + UNTAUGHT
    communes = list(
        Commune.objects.order_by("pk").values_list("pk", "departement__code")
    )
    organisations = list(
        Organisation.objects.order_by("pk").values_list("pk", flat=True)
    )
    statuses = [NeedStatus.OPEN] * 6 + [
        NeedStatus.IN_PROGRESS,
        NeedStatus.IN_PROGRESS,
        NeedStatus.MET,
        NeedStatus.DROPPED,
    ]
    now = timezone.now()
    today = date.today()
    with transaction.atomic():
        Need.objects.all().delete()
        batch = []
        for n in range(NEEDS):
            commune_id, departement_code = rng.choice(communes)
            kind = rng.choice([NeedKind.RECRUITMENT] * 3 + [NeedKind.SKILLS])
            contract = (
                rng.choice(Contract.values) if kind == NeedKind.RECRUITMENT else ""
            )
            batch.append(
                Need(
                    organisation_id=rng.choice(organisations),
                    kind=kind,
                    rome_code=rng.choice(codes),
                    appellation=f"Poste n° {n}",
                    level=rng.choice([3, 3, 3, 4, 4, 5, 6]),
                    headcount=rng.randint(1, 12),
                    horizon=today + timedelta(days=rng.randint(30, 700)),
                    contract=contract,
                    training_mode="continuing" if kind == NeedKind.SKILLS else "",
                    skills="Piqûre sellier." if kind == NeedKind.SKILLS else "",
                    commune_id=commune_id,
                    departement_code=departement_code,
                    route=route_for(kind, contract),
                    status=rng.choice(statuses),
                    reviewed_at=now - timedelta(days=rng.randint(0, 300)),
                )
            )
            if len(batch) == 10_000:
                Need.objects.bulk_create(batch)
                batch = []
        Need.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated the needs in {time.perf_counter() - started:.0f} s.", flush=True)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    from campus.needs.trades import rome_labels
    from campus.places.models import Departement

    deps = list(Departement.objects.order_by("code").values_list("code", flat=True))
    # The filter offers the trades the campus knows; the others are a 400.
    known = rome_labels()
    codes = sorted({rome for _speciality, rome, _weight in SPECIALITIES} & set(known))
    routes = ["scolaire", "apprentissage", "continue"]
    return {
        "Page modèle sans requête (mentions légales)": ["/mentions-legales/"],
        "Écarts : sans filtre, cache vide": ["/gestion/besoins/"],
        "Écarts : sans filtre": ["/gestion/besoins/"],
        "Écarts : sans filtre, page 20": ["/gestion/besoins/?page=20"],
        "Écarts : un département": [
            f"/gestion/besoins/?departement={rng.choice(deps)}" for _ in range(10)
        ],
        "Écarts : métier + voie": [
            f"/gestion/besoins/?metier={rng.choice(codes)}&voie={rng.choice(routes)}"
            for _ in range(10)
        ],
        "Écarts : besoins sans offre": ["/gestion/besoins/?ecart=besoins-sans-offre"],
        "Export XLSX : un département": [
            f"/gestion/besoins/ecarts.xlsx?departement={rng.choice(deps)}"
            for _ in range(10)
        ],
        "Export XLSX : tout le tableau": ["/gestion/besoins/ecarts.xlsx"],
        # The map and the page share the cached table, which each URL's untimed
        # first request fills: what is timed is the GeoJSON built from it.
        "Carte des écarts : sans filtre": ["/gestion/besoins/carte.geojson"],
        "Carte des écarts : un département": [
            f"/gestion/besoins/carte.geojson?departement={rng.choice(deps)}"
            for _ in range(10)
        ],
    }


def measure(repetitions: int) -> list[tuple[str, float, float, int]]:
    from django.core.cache import cache
    from django.test import Client

    from campus.accounts.models import User

    team = User.objects.filter(email=TEAM_EMAIL).first() or User.objects.create_user(
        TEAM_EMAIL, "bench-mot-de-passe-2026", full_name="Équipe (bench)", is_staff=True
    )
    client = Client()
    client.force_login(team)
    rng = random.Random(SEED)
    results = []
    for label, urls in scenarios(rng).items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        # A cold table reads every offering, and the whole export is a large
        # file: fewer requests keep the run short.
        cold = "cache vide" in label
        slow = cold or "tout le tableau" in label
        count = max(repetitions // 10, 5) if slow else repetitions
        timings = []
        for n in range(count):
            if cold:
                cache.clear()
            timings.append(timed_get(client, urls[n % len(urls)]))
        p50, p95 = p50_p95(timings)
        results.append((label, p50, p95, len(timings)))
        print(f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    return results


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from campus.needs.gaps import GapFilters, gap_rows
    from campus.needs.models import Need
    from campus.trainings.models import Offering

    if args.regenerate or Offering.objects.count() != OFFERINGS:
        print(f"Generating the national catalogue on {args.database}…", flush=True)
        generate_catalogue()
    if args.regenerate or Need.objects.count() != NEEDS:
        print(f"Generating {NEEDS} needs on {args.database}…", flush=True)
        generate_needs()
    rows = len(gap_rows(GapFilters()))
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    dataset = (
        f"{Need.objects.count():_} besoins ({Need.objects.active().count():_} ouverts "
        f"ou en cours), {Offering.objects.count():_} offres ; {rows:_} lignes "
        "d'écart sans filtre.".replace("_", " ")
    )
    text = report(args.database, dataset, measure(args.repetitions))
    write_report("needs", args.database, text)


if __name__ == "__main__":
    main()
