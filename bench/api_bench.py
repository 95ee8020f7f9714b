"""The open-data API's lists at national scale, on SQLite or PostgreSQL.

Reuses the catalogue bench's national dataset (bench/trainings_bench.py: 300,000
offerings, 100,000 organisations, 36,000 communes) and its database, generated
once. Requests go in-process through Django's test client (middleware, rate
limit, ETag, serialisation, database) and each scenario reports p50 and p95,
with the ratio to a plain template page measured in the same run. Deep pages
start from a cursor half-way down the list: keyset pages cost the same at any
depth.

    .venv/bin/python bench/api_bench.py --database sqlite --repetitions 50

Not a test: timings depend on the machine.
"""

import os
import random

from common import (
    argument_parser,
    prepare,
    report,
    summarise,
    take_turns,
    write_report,
)
from trainings_bench import (
    OFFERINGS,
    POSTGRES_DATABASE,
    SEARCHES,
    SEED,
    SQLITE_PATH,
    generate,
)


def half_way_cursor(queryset, resource: str, field: str) -> str:
    from campus.api.pagination import encode_cursor

    middle = queryset.count() // 2
    key, pk = queryset.order_by(field, "pk").values_list(field, "pk")[middle]
    return encode_cursor(resource, key, pk)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    from campus.network.models import Organisation
    from campus.trainings.models import Offering

    departements = sorted(
        set(
            Offering.objects.order_by()
            .values_list("departement_code", flat=True)
            .distinct()[:200]
        )
        - {""}
    )
    deep_offerings = half_way_cursor(
        Offering.objects.published(), "formations", "title"
    )
    deep_organisations = half_way_cursor(
        Organisation.objects.published(), "organisations", "name"
    )
    filtered = [
        f"/api/v1/formations?niveau={rng.choice('3456')}&voie=apprenticeship"
        f"&departement={rng.choice(departements)}"
        for _ in range(10)
    ]
    return {
        "Page modèle sans requête (mentions légales)": ["/mentions-legales/"],
        "API formations : première page (50)": ["/api/v1/formations"],
        "API formations : 200 par page": ["/api/v1/formations?limite=200"],
        "API formations : page au milieu (curseur, 50)": [
            f"/api/v1/formations?curseur={deep_offerings}"
        ],
        "API formations : recherche (q)": [
            f"/api/v1/formations?q={query}" for query in SEARCHES
        ],
        "API formations : niveau, voie, département": filtered,
        "API organisations : première page (50)": ["/api/v1/organisations"],
        "API organisations : page au milieu (curseur, 50)": [
            f"/api/v1/organisations?curseur={deep_organisations}"
        ],
        "API certifications : première page (50)": ["/api/v1/certifications"],
    }


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    # The bench is one client asking again and again: no rate limit in its way.
    os.environ.setdefault("CAMPUS_API_RATE", "100000000/m")
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from django.test import Client

    from campus.network.models import Organisation
    from campus.trainings.models import Offering

    if args.regenerate or Offering.objects.count() != OFFERINGS:
        print(f"Generating the national dataset on {args.database}…", flush=True)
        generate()
    dataset = (
        f"{Offering.objects.count():_} offres de formation, "
        f"{Organisation.objects.count():_} organisations.".replace("_", " ")
    )
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    timings = take_turns(Client(), scenarios(random.Random(SEED)), args.repetitions)
    text = report(args.database, dataset, summarise(timings))
    write_report("api", args.database, text)


if __name__ == "__main__":
    main()
