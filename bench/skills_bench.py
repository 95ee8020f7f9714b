"""The skill-block pages at national scale: the block search, the comparison,
a certification's page and the catalogue filtered on a block, on SQLite or
PostgreSQL.

Generates (once) a dataset in a database of its own: 8 départements, 500
communes, 3,000 organisations, 5,000 certifications with 5 blocks each (25,000
blocks, about the active RNCP's size, each with its skills and assessment),
300,000 offerings, and 30,000 links from continuing-education offerings to the
blocks they prepare. Then it requests the pages in-process through Django's test
client and reports p50 and p95 per scenario, with the ratio to a plain template
page measured in the same run, the scenarios taking turns.

    .venv/bin/python bench/skills_bench.py --database sqlite
    .venv/bin/python bench/skills_bench.py --database postgres

Not a test: timings depend on the machine.
"""

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

SQLITE_PATH = BENCH_DIR / "skills.sqlite3"
POSTGRES_DATABASE = "campus_bench_skills"

COMMUNES = 500
ORGANISATIONS = 3_000
CERTIFICATIONS = 5_000
BLOCKS_PER_CERTIFICATION = 5
OFFERINGS = 300_000
BLOCK_LINKS = 30_000
SEED = 20261130
TRADES = [
    "maroquinerie", "sellerie", "cordonnerie", "bijouterie", "ébénisterie",
    "cuisine", "coiffure", "électricité", "plomberie", "mécanique", "couture",
    "boulangerie", "menuiserie", "vente", "logistique", "soins", "comptabilité",
]  # fmt: skip
GESTURES = [
    "piqûre sellier à la main", "parage des bords", "coupe à la presse",
    "sertissage des pierres", "montage d'un prototype", "contrôle qualité",
    "lecture d'un dossier technique", "accueil du client", "gestion des stocks",
    "soudure", "câblage d'une armoire", "dressage d'une assiette",
    "prévention des risques", "encadrement d'une équipe", "teinture de tranche",
]  # fmt: skip
SEARCHES = [
    "piqûre sellier",
    "sertissage",
    "parage",
    "quelles formations enseignent la teinture de tranche",
    "soudure",
    "prevention risques",
]


def generate() -> None:
    from django.db import connection, transaction

    from campus.network.models import Organisation
    from campus.places.models import Commune
    from campus.search import fold_parts
    from campus.trainings.models import (
        Certification,
        DiplomaType,
        Offering,
        SkillBlock,
    )

    rng = random.Random(SEED)
    started = time.perf_counter()
    diplomas = [
        (DiplomaType.CAP, 3, "CAP"),
        (DiplomaType.BAC_PRO, 4, "Bac pro"),
        (DiplomaType.BTS, 5, "BTS"),
        (DiplomaType.TITRE_PRO, 4, "Titre professionnel"),
        (DiplomaType.LICENCE_PRO, 6, "Licence professionnelle"),
    ]
    with transaction.atomic():
        for model in [Offering, SkillBlock, Certification, Organisation, Commune]:
            model.objects.all().delete()
        region, departements, communes = generate_region(rng, COMMUNES)
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Centre de formation {n}",
                    slug=f"centre-{n}",
                    kind="school",
                    commune=(commune := rng.choice(communes)),
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    is_published=True,
                    search_text=fold_parts(f"Centre de formation {n}", commune.name),
                )
                for n in range(ORGANISATIONS)
            ],
            batch_size=3000,
        )
        certifications = []
        for n in range(CERTIFICATIONS):
            diploma_type, level, label = diplomas[n % len(diplomas)]
            title = f"{label} {rng.choice(TRADES)} {n}"
            certifications.append(
                Certification(
                    title=title,
                    slug=f"certification-{n}",
                    rncp_code=f"RNCP{30000 + n}",
                    diploma_type=diploma_type,
                    level=level,
                    search_text=fold_parts(title, f"RNCP{30000 + n}"),
                )
            )
        certifications = Certification.objects.bulk_create(
            certifications, batch_size=5000
        )
        blocks = []
        for certification in certifications:
            for order in range(1, BLOCKS_PER_CERTIFICATION + 1):
                gestures = rng.sample(GESTURES, 3)
                block = SkillBlock(
                    certification=certification,
                    code=f"{certification.rncp_code}BC{order:02d}",
                    title=f"Réalisation : {gestures[0]}",
                    order=order,
                    skills="\n".join(f"Maîtriser la {g}" for g in gestures),
                    assessment="Épreuve pratique en atelier et entretien.",
                )
                block.search_text = block.folded_text()
                blocks.append(block)
        blocks = SkillBlock.objects.bulk_create(blocks, batch_size=5000)
        batch, continuing = [], []
        for _ in range(OFFERINGS):
            certification = rng.choice(certifications)
            organisation = rng.choice(organisations)
            commune = organisation.commune
            route = rng.choice(["school", "apprenticeship", "continuing"])
            batch.append(
                Offering(
                    certification=certification,
                    organisation=organisation,
                    route=route,
                    commune=commune,
                    departement_code=commune.departement.code,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    title=certification.title,
                    level=certification.level,
                    diploma_type=certification.diploma_type,
                    search_text=fold_parts(
                        certification.search_text, organisation.name, commune.name
                    ),
                )
            )
            if len(batch) == 20_000:
                created = Offering.objects.bulk_create(batch)
                continuing += [o for o in created if o.route == "continuing"]
                batch = []
        created = Offering.objects.bulk_create(batch)
        continuing += [o for o in created if o.route == "continuing"]
        blocks_of = {}
        for block in blocks:
            blocks_of.setdefault(block.certification_id, []).append(block)
        links = []
        for offering in rng.sample(continuing, BLOCK_LINKS):
            block = rng.choice(blocks_of[offering.certification_id])
            links.append(
                Offering.skill_blocks.through(offering=offering, skillblock=block)
            )
        Offering.skill_blocks.through.objects.bulk_create(links, batch_size=10_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    from campus.trainings.models import Certification, Offering

    codes = list(
        Certification.objects.order_by("pk").values_list("rncp_code", flat=True)
    )
    blocks = list(
        Offering.skill_blocks.through.objects.order_by("pk").values_list(
            "skillblock_id", flat=True
        )[:2000]
    )
    compare = [
        "/formations/comparer/?" + "&".join(f"c={c}" for c in rng.sample(codes, 3))
        for _ in range(10)
    ]
    certification_pages = [
        f"/formations/diplomes/certification-{rng.randrange(CERTIFICATIONS)}/"
        for _ in range(10)
    ]
    by_block = [f"/formations/?bloc={rng.choice(blocks)}" for _ in range(10)]
    by_block_near = [
        f"/formations/?bloc={rng.choice(blocks)}&departement={rng.choice(DEPARTEMENTS)}"
        for _ in range(10)
    ]
    return {
        "Page modèle sans requête (mentions légales)": ["/mentions-legales/"],
        "Blocs : recherche (q)": [f"/formations/blocs/?q={q}" for q in SEARCHES],
        "Blocs : recherche + niveau": [
            f"/formations/blocs/?q={q}&niveau=4" for q in SEARCHES
        ],
        "Blocs : recherche, page 5": [
            f"/formations/blocs/?q={q}&page=5" for q in SEARCHES[:3]
        ],
        "Comparaison de 3 certifications": compare,
        "Page d'une certification (5 blocs)": certification_pages,
        "Catalogue : par bloc de compétences": by_block,
        "Catalogue : bloc + département": by_block_near,
    }


def measure(repetitions: int) -> list[tuple[str, float, float, int]]:
    """Round-robin over the scenarios, so that a change in the machine's load hits
    every scenario alike."""
    from django.test import Client

    client = Client()
    rng = random.Random(SEED)
    plan = scenarios(rng)
    timings = take_turns(client, plan, repetitions)
    return summarise(timings)


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from campus.trainings.models import Offering, SkillBlock

    if args.regenerate or Offering.objects.count() != OFFERINGS:
        print(f"Generating the skills dataset on {args.database}…", flush=True)
        generate()
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    dataset = (
        f"{SkillBlock.objects.count():_} blocs de compétences, "
        f"{Offering.objects.count():_} offres de formation, "
        f"{Offering.skill_blocks.through.objects.count():_} liens offre → bloc."
    ).replace("_", " ")
    text = report(args.database, dataset, measure(args.repetitions))
    write_report("skills", args.database, text)


if __name__ == "__main__":
    main()
