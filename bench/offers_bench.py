"""The public offers list with its filters, the RSS feed and the La bonne
alternance export at 100,000 offers, on SQLite or PostgreSQL.

Generates (once) a dataset in a database of its own: a région of 8 départements,
2,000 communes, 2,000 companies (half with a SIRET), 40 ROME fiches, 200 trades,
100 certifications and 100,000 offers (about 90 % open, the rest expired or
withdrawn; half apprenticeships). Then it requests the pages in-process through
Django's test client and reports p50 and p95 per scenario, with the ratio to a
plain template page measured in the same run, the scenarios taking turns. The
export, which lists every open apprenticeship, is timed apart with a few
requests.

    .venv/bin/python bench/offers_bench.py --database sqlite
    .venv/bin/python bench/offers_bench.py --database postgres

Not a test: timings depend on the machine.
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
    timed_get,
    write_report,
)

SQLITE_PATH = BENCH_DIR / "offers.sqlite3"
POSTGRES_DATABASE = "campus_bench_offers"

COMMUNES = 2_000
ORGANISATIONS = 2_000
ROME_JOBS = 40
TRADES = 200
CERTIFICATIONS = 100
OFFERS = 100_000
EXPORT_REPETITIONS = 5
SEED = 20261130
WORDS = [
    "apprenti", "piqueur", "coupeur", "sertisseur", "maroquinerie", "sellerie",
    "cuir", "bijoux de sac", "polisseur", "monteur", "atelier", "finition",
]  # fmt: skip
SEARCHES = ["piqueur", "maroquinerie cuir", "sertisseur", "sellerie", "atelier"]


def generate() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from campus.network.models import Organisation
    from campus.offers.models import Contract, Offer
    from campus.places.models import Commune
    from campus.search import fold_parts
    from campus.trades.models import RomeJob, Trade
    from campus.trainings.models import Certification

    rng = random.Random(SEED)
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        Offer.objects.all().delete()
        for model in [Certification, Trade, RomeJob, Organisation, Commune]:
            model.objects.all().delete()
        region, departements, communes = generate_region(rng, COMMUNES)
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Atelier {n}",
                    slug=f"atelier-{n}",
                    kind="company",
                    siret=f"{n:014d}" if n % 2 else "",
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
        rome_jobs = RomeJob.objects.bulk_create(
            RomeJob(code=f"B{1800 + n}", label=f"Fiche ROME {n}")
            for n in range(ROME_JOBS)
        )
        Trade.objects.bulk_create(
            Trade(
                name=f"Métier {n}",
                slug=f"metier-{n}",
                rome_codes=rome_jobs[n % ROME_JOBS].code,
                is_published=True,
            )
            for n in range(TRADES)
        )
        certifications = Certification.objects.bulk_create(
            Certification(
                title=f"Certification {n}",
                slug=f"certification-{n}",
                diploma_type="cap",
                level=3 + n % 5,
            )
            for n in range(CERTIFICATIONS)
        )
        contracts = [Contract.APPRENTICESHIP] * 2 + [Contract.INTERNSHIP, Contract.JOB]
        batch = []
        for n in range(OFFERS):
            organisation = rng.choice(organisations)
            commune = rng.choice(communes)
            rome_job = rng.choice(rome_jobs)
            certification = rng.choice(certifications) if rng.random() < 0.7 else None
            contract = rng.choice(contracts)
            title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"
            state = rng.random()
            batch.append(
                Offer(
                    organisation=organisation,
                    contract=contract,
                    title=title,
                    rome_job=rome_job,
                    certification=certification,
                    commune=commune,
                    starts_on=today + dt.timedelta(days=rng.randint(0, 300)),
                    duration_months=24,
                    positions=1,
                    description="Un poste **en atelier**.",
                    apply_email="recrutement@exemple.fr",
                    expires_on=today
                    + dt.timedelta(days=-10 if state < 0.05 else rng.randint(1, 60)),
                    is_withdrawn=0.05 <= state <= 0.1,
                    level=certification.level if certification else None,
                    organisation_published=True,
                    departement_code=commune.insee_code[:2],
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    search_text=fold_parts(
                        title,
                        rome_job.label,
                        rome_job.code,
                        certification.title if certification else "",
                        organisation.name,
                        commune.name,
                    ),
                )
            )
            if len(batch) == 10_000:
                Offer.objects.bulk_create(batch)
                batch = []
        Offer.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    from campus.places.models import Commune

    communes = list(
        Commune.objects.order_by("pk").values_list("insee_code", flat=True)[:500]
    )
    contracts = ["apprentissage", "stage", "emploi"]
    return {
        "Page modèle sans requête (mentions légales)": ["/mentions-legales/"],
        "Offres : sans filtre": ["/offres/"],
        "Offres : page 40": ["/offres/?page=40"],
        "Offres : contrat + niveau": [
            f"/offres/?contrat={rng.choice(contracts)}&niveau={rng.randint(3, 7)}"
            for _ in range(10)
        ],
        "Offres : métier": [
            f"/offres/?metier=metier-{rng.randrange(TRADES)}" for _ in range(10)
        ],
        "Offres : recherche (q)": [f"/offres/?q={q}" for q in SEARCHES],
        "Offres : commune + 30 km": [
            f"/offres/?commune={rng.choice(communes)}&rayon=30" for _ in range(10)
        ],
        "Offres : une offre": [f"/offres/{rng.randint(1, OFFERS)}/" for _ in range(10)],
        "RSS : 50 dernières offres": ["/offres/rss/"],
        "RSS : contrat apprentissage": ["/offres/rss/?contrat=apprentissage"],
    }


def measure(repetitions: int) -> list[tuple[str, float, float, int]]:
    """Round-robin over the scenarios (see bench/agenda_bench.py), then the export."""
    from django.test import Client

    client = Client()
    rng = random.Random(SEED)
    plan = scenarios(rng)
    timings = take_turns(client, plan, repetitions, allowed=(200, 404))
    export = "Export La bonne alternance (toutes les offres d'apprentissage)"
    timings[export] = [
        timed_get(client, "/offres/la-bonne-alternance.json")
        for _ in range(EXPORT_REPETITIONS)
    ]
    return summarise(timings)


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from campus.offers.models import Contract, Offer

    if args.regenerate or Offer.objects.count() != OFFERS:
        print(f"Generating the offers dataset on {args.database}…", flush=True)
        generate()
    total = Offer.objects.count()
    open_offers = Offer.objects.published().count()
    exported = (
        Offer.objects.published()
        .filter(contract=Contract.APPRENTICESHIP)
        .exclude(organisation__siret="")
        .count()
    )
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    dataset = (
        f"{total:_} offres ({open_offers:_} en ligne ; {exported:_} dans l'export "
        "La bonne alternance).".replace("_", " ")
    )
    text = report(args.database, dataset, measure(args.repetitions))
    write_report("offers", args.database, text)


if __name__ == "__main__":
    main()
