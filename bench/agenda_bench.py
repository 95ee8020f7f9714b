"""The agenda's list with filters and its iCalendar feed at 20,000 events and
200,000 registrations, on SQLite or PostgreSQL.

Generates (once) a dataset in a database of its own: a région of 8 départements,
2,000 communes, 2,000 organisations, 200 trades, 20,000 events over three years
(two past, one to come; 90 % published) with their audiences and trades, and
200,000 registrations. Then it requests the pages in-process through Django's
test client (middleware, view, template, database; no network or WSGI server)
and reports p50 and p95 per scenario, with the ratio to a plain template page
measured in the same run, the scenarios taking turns.

    .venv/bin/python bench/agenda_bench.py --database sqlite
    .venv/bin/python bench/agenda_bench.py --database postgres

Not a test: timings depend on the machine. `make bench` runs both databases.
"""

import datetime as dt
import random
import time

from common import (
    BENCH_DIR,
    argument_parser,
    generate_region,
    prepare,
    report,
    summarise,
    take_turns,
    write_report,
)
from common import (
    REGION_DEPARTEMENTS as DEPARTEMENTS,
)

SQLITE_PATH = BENCH_DIR / "agenda.sqlite3"
POSTGRES_DATABASE = "campus_bench_agenda"

COMMUNES = 2_000
ORGANISATIONS = 2_000
TRADES = 200
EVENTS = 20_000
REGISTRATIONS = 200_000
SEED = 20261129
WORDS = [
    "portes ouvertes", "atelier", "salon", "maroquinerie", "sellerie", "cuir",
    "bijouterie", "ébénisterie", "concours", "conférence", "webinaire", "JEMA",
    "découverte", "apprentissage", "lycée", "CFA", "forum", "démonstration",
]  # fmt: skip
SEARCHES = ["maroquinerie", "atelier cuir", "salon", "sellerie", "jema", "lycee"]


def generate() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from campus.agenda.models import (
        Audience,
        Event,
        EventKind,
        PlaceKind,
        Registration,
        RegistrationStatus,
    )
    from campus.network.models import Organisation
    from campus.places.models import Commune
    from campus.search import fold_parts
    from campus.trades.models import Trade

    rng = random.Random(SEED)
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        for model in [Registration, Event, Trade, Organisation, Commune]:
            model.objects.all().delete()
        region, departements, communes = generate_region(rng, COMMUNES)
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Atelier {n}",
                    slug=f"atelier-{n}",
                    kind="company",
                    commune=(commune := rng.choice(communes)),
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    is_published=True,
                    search_text=fold_parts(f"Atelier {n}", commune.name),
                )
                for n in range(ORGANISATIONS)
            ],
            batch_size=2000,
        )
        trades = Trade.objects.bulk_create(
            Trade(name=f"Métier {n}", slug=f"metier-{n}", is_published=True)
            for n in range(TRADES)
        )
        kinds = [kind for kind, _label in EventKind.choices]
        events = []
        for n in range(EVENTS):
            organisation = rng.choice(organisations)
            start = now + dt.timedelta(
                days=rng.uniform(-730, 365), hours=rng.randint(-4, 4)
            )
            online = rng.random() < 0.05
            title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"
            events.append(
                Event(
                    title=title,
                    slug=f"evenement-{n}",
                    kind="webinar" if online else rng.choice(kinds),
                    organisation=organisation,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=rng.choice([2, 3, 8, 30, 54])),
                    place_kind=PlaceKind.ONLINE if online else PlaceKind.SITE,
                    online_url="https://visio.exemple.fr/" if online else "",
                    latitude=None if online else organisation.latitude,
                    longitude=None if online else organisation.longitude,
                    summary="Un rendez-vous de la filière.",
                    is_free=rng.random() < 0.8,
                    status="published" if rng.random() < 0.9 else "submitted",
                    search_text=fold_parts(title, organisation.name),
                )
            )
        events = Event.objects.bulk_create(events, batch_size=5000)
        audiences = list(Audience.objects.all())
        Event.audiences.through.objects.bulk_create(
            [
                Event.audiences.through(event=event, audience=audience)
                for event in events
                for audience in rng.sample(audiences, rng.randint(1, 3))
            ],
            batch_size=10_000,
        )
        Event.trades.through.objects.bulk_create(
            [
                Event.trades.through(event=event, trade=trade)
                for event in events
                for trade in rng.sample(trades, rng.randint(0, 2))
            ],
            batch_size=10_000,
        )
        batch = []
        for n in range(REGISTRATIONS):
            batch.append(
                Registration(
                    event=events[n % EVENTS],
                    name=f"Personne {n}",
                    email=f"personne{n}@exemple.fr",
                    status=RegistrationStatus.CONFIRMED,
                    token=f"jeton-{n}",
                )
            )
            if len(batch) == 20_000:
                Registration.objects.bulk_create(batch)
                batch = []
        Registration.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    from django.utils import timezone

    from campus.places.models import Commune

    communes = list(
        Commune.objects.order_by("pk").values_list("insee_code", flat=True)[:500]
    )
    today = timezone.localdate()
    months = [
        (today.replace(day=1) + dt.timedelta(days=31 * n)).strftime("%Y-%m")
        for n in range(-6, 6)
    ]
    kinds = ["open_day", "fair", "workshop", "jema", "conference"]
    audiences = ["pupils", "parents", "teachers", "public"]
    filtered = [
        f"/agenda/?type={rng.choice(kinds)}&public={rng.choice(audiences)}"
        f"&departement={rng.choice(DEPARTEMENTS)}"
        for _ in range(10)
    ]
    near = [f"/agenda/?commune={rng.choice(communes)}&rayon=30" for _ in range(10)]
    period = []
    for _ in range(10):
        start = today + dt.timedelta(days=rng.randint(0, 300))
        period.append(
            f"/agenda/?du={start:%Y-%m-%d}&au={start + dt.timedelta(days=30):%Y-%m-%d}"
            "&gratuit=on"
        )
    feeds = [
        f"/agenda/calendrier.ics?type={rng.choice(kinds)}"
        f"&departement={rng.choice(DEPARTEMENTS)}"
        for _ in range(10)
    ]
    return {
        "Page modèle sans requête (mentions légales)": ["/mentions-legales/"],
        "Agenda : à venir, sans filtre": ["/agenda/"],
        "Agenda : à venir, page 50": ["/agenda/?page=50"],
        "Agenda : type + public + département": filtered,
        "Agenda : recherche (q)": [f"/agenda/?q={q}" for q in SEARCHES],
        "Agenda : commune + 30 km": near,
        "Agenda : période de 30 jours + gratuits": period,
        "Agenda : archives, sans filtre": ["/agenda/archives/"],
        "Agenda : mois": [f"/agenda/mois/?mois={m}" for m in months],
        "Carte : données GeoJSON (plafond 500)": ["/agenda/carte/donnees.geojson"],
        "iCalendar : flux complet (plafond 500)": ["/agenda/calendrier.ics"],
        "iCalendar : flux type + département": feeds,
        "iCalendar : un événement": ["/agenda/evenement-19999/calendrier.ics"],
    }


def measure(repetitions: int) -> list[tuple[str, float, float, int]]:
    """Round-robin over the scenarios, so that a change in the machine's load hits
    every scenario alike (the ratio to the trivial page stays meaningful)."""
    from django.test import Client

    client = Client()
    rng = random.Random(SEED)
    plan = scenarios(rng)
    timings = take_turns(client, plan, repetitions, allowed=(200, 404))
    return summarise(timings)


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from django.utils import timezone

    from campus.agenda.models import Event, Registration

    if args.regenerate or Event.objects.count() != EVENTS:
        print(f"Generating the agenda dataset on {args.database}…", flush=True)
        generate()
    events = Event.objects.count()
    upcoming = Event.objects.published().filter(ends_at__gte=timezone.now()).count()
    registrations = Registration.objects.count()
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    dataset = (
        f"{events:_} événements ({upcoming:_} à venir et publiés), "
        f"{registrations:_} inscriptions.".replace("_", " ")
    )
    text = report(args.database, dataset, measure(args.repetitions))
    write_report("agenda", args.database, text)


if __name__ == "__main__":
    main()
