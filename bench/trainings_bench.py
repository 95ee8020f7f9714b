"""Catalogue search and map data at national scale, on SQLite or PostgreSQL.

Generates (once) a synthetic national dataset in a database of its own: 36,000
communes, 100,000 organisations, 300,000 offerings of 2,400 certifications. Then
it requests the pages in-process through Django's test client (middleware,
view, template, database; no network or WSGI server) and reports p50 and p95
per scenario, with the ratio to a plain template page measured in the same run.

    .venv/bin/python bench/trainings_bench.py --database sqlite
    .venv/bin/python bench/trainings_bench.py --database postgres

Not a test: timings depend on the machine. `make bench` runs both databases.
"""

import random
import time

from common import (
    BENCH_DIR,
    argument_parser,
    p50_p95,
    prepare,
    report,
    timed_get,
    write_report,
)

SQLITE_PATH = BENCH_DIR / "trainings.sqlite3"
POSTGRES_DATABASE = "campus_bench"

COMMUNES = 36_000
ORGANISATIONS = 100_000
OFFERINGS = 300_000
SEED = 20261126

SYLLABLES = [
    "mon", "bar", "vil", "le", "cha", "teau", "ro", "ber", "sau", "lieu", "fon",
    "taine", "beau", "mont", "val", "lon", "san", "cy", "mar", "ti", "gny", "ver",
    "nay", "cour", "tel", "bour", "g", "ville", "ney", "pre", "saint", "ay",
]  # fmt: skip
SPECIALITIES = [
    ("Maroquinerie", "B1802", 1),
    ("Sellerie générale", "B1802", 1),
    ("Sellier-harnacheur", "B1802", 1),
    ("Métiers du cuir option maroquinerie", "B1802", 1),
    ("Cordonnier bottier", "B1802", 1),
    ("Ébéniste", "B1601", 2),
    ("Menuisier fabricant", "H2206", 4),
    ("Cuisine", "G1602", 12),
    ("Commercialisation et services en restauration", "G1803", 8),
    ("Boulanger", "D1102", 6),
    ("Pâtissier", "D1104", 6),
    ("Électricien", "F1602", 10),
    ("Maintenance des véhicules", "I1604", 9),
    ("Coiffure", "D1202", 8),
    ("Esthétique cosmétique parfumerie", "D1208", 6),
    ("Accompagnement éducatif petite enfance", "K1303", 7),
    ("Métiers de la mode - vêtement", "B1803", 3),
    ("Bijou option bijouterie-joaillerie", "B1603", 1),
    ("Horlogerie", "B1603", 1),
    ("Tapissier d'ameublement", "B1806", 1),
    ("Verrier décorateur", "B1602", 1),
    ("Métiers de la sécurité", "K2503", 5),
    ("Logistique", "N1103", 8),
    ("Gestion-administration", "M1602", 10),
]
DIPLOMAS = [
    ("cap", 3, "CAP"),
    ("bac_pro", 4, "Bac pro"),
    ("bma", 4, "BMA"),
    ("bts", 5, "BTS"),
    ("dn_made", 6, "DN MADe"),
    ("licence_pro", 6, "Licence professionnelle"),
    ("titre_pro", 3, "Titre professionnel"),
    ("cqp", 3, "CQP"),
]
KINDS = [
    ("secondary_school", "Lycée professionnel", 4),
    ("cfa", "CFA", 2),
    ("training_body", "Organisme de formation", 3),
    ("higher_education", "Université", 1),
]
SEARCHES = [
    "maroquinerie",
    "maroquin",
    "sellerie",
    "cuisine",
    "electricien",
    "boulanger patissier",
    "bijou",
    "coiffure",
    "cap ebeniste",
    "bac pro logistique",
]


def place_name(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    name = name.capitalize()
    if rng.random() < 0.15:
        name = f"Saint-{name}"
    if rng.random() < 0.1:
        name += rng.choice(["-sur-Loire", "-sur-Saône", "-les-Bains", "-en-Auxois"])
    return name


def generate() -> None:
    from django.db import connection, transaction

    from campus.network.models import Organisation
    from campus.places.models import Commune, Departement, Region
    from campus.profiles.models import CampusProfile
    from campus.search import fold, fold_parts
    from campus.trainings.models import Certification, Offering

    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        for model in [Offering, Certification, Organisation, Commune, Departement]:
            model.objects.all().delete()
        Region.objects.all().delete()
        CampusProfile.objects.all().delete()
        regions = Region.objects.bulk_create(
            Region(code=f"{n:02d}", name=f"Région {n}") for n in range(1, 19)
        )
        dep_codes = [f"{n:02d}" for n in range(1, 96) if n != 20] + [
            "2A",
            "2B",
            "971",
            "972",
            "973",
            "974",
            "976",
        ]
        departements = Departement.objects.bulk_create(
            Departement(
                code=code, name=f"Département {code}", region=regions[i % len(regions)]
            )
            for i, code in enumerate(dep_codes)
        )
        # Départements on a 10 x 10 grid over mainland France's bounding box.
        centres = {
            d.pk: (42.5 + (i // 10) * 0.85, -4.5 + (i % 10) * 1.25)
            for i, d in enumerate(departements)
        }
        communes = []
        for n in range(COMMUNES):
            departement = departements[n % len(departements)]
            lat, lon = centres[departement.pk]
            name = place_name(rng)
            postal = f"{departement.code[:2].replace('A', '0').replace('B', '0')}{n % 1000:03d}"
            communes.append(
                Commune(
                    insee_code=f"{n:05d}",
                    name=name,
                    search_name=fold_parts(name, postal),
                    folded_name=fold(name),
                    departement=departement,
                    postal_codes=postal,
                    latitude=lat + rng.uniform(-0.4, 0.4),
                    longitude=lon + rng.uniform(-0.6, 0.6),
                    population=rng.randint(50, 50_000),
                )
            )
        communes = Commune.objects.bulk_create(communes, batch_size=5000)
        dep_by_id = {d.pk: d for d in departements}

        kinds = [k for k in KINDS for _ in range(k[2])]
        organisations = []
        for n in range(ORGANISATIONS):
            commune = rng.choice(communes)
            kind, prefix, _weight = rng.choice(kinds)
            name = f"{prefix} {place_name(rng)} de {commune.name}"
            organisations.append(
                Organisation(
                    name=name,
                    slug=f"organisation-{n}",
                    kind=kind,
                    commune=commune,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    is_published=rng.random() < 0.97,
                    search_text=fold_parts(name, commune.name),
                )
            )
        organisations = Organisation.objects.bulk_create(organisations, batch_size=5000)

        certifications = []
        for speciality, rome, _weight in SPECIALITIES:
            for diploma_type, level, label in DIPLOMAS:
                for variant in range(12):
                    title = f"{label} {speciality}" + (f" {variant}" if variant else "")
                    certifications.append(
                        Certification(
                            title=title,
                            slug=f"{fold(title).replace(' ', '-')}",
                            diploma_type=diploma_type,
                            level=level,
                            rome_codes=rome,
                            search_text=fold_parts(title, label, rome),
                        )
                    )
        certifications = Certification.objects.bulk_create(
            certifications, batch_size=5000
        )
        weights = [
            dict((s[0], s[2]) for s in SPECIALITIES)[
                next(s[0] for s in SPECIALITIES if s[0] in c.title)
            ]
            for c in certifications
        ]
        routes = [("school", "voie scolaire"), ("apprenticeship", "apprentissage")]
        routes += [("continuing", "formation continue")]
        commune_by_id = {c.pk: c for c in communes}
        batch = []
        chosen = rng.choices(certifications, weights=weights, k=OFFERINGS)
        for certification in chosen:
            organisation = rng.choice(organisations)
            route, route_label = rng.choice(routes)
            commune = commune_by_id[organisation.commune_id]
            batch.append(
                Offering(
                    certification=certification,
                    organisation=organisation,
                    route=route,
                    is_published=rng.random() < 0.95,
                    organisation_published=organisation.is_published,
                    commune=commune,
                    departement_code=dep_by_id[commune.departement_id].code,
                    latitude=organisation.latitude,
                    longitude=organisation.longitude,
                    search_text=fold_parts(
                        certification.search_text,
                        organisation.name,
                        commune.name,
                        route_label,
                    ),
                )
            )
            if len(batch) == 10_000:
                Offering.objects.bulk_create(batch)
                batch = []
        Offering.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    from campus.places.models import Commune

    communes = list(
        Commune.objects.order_by("pk").values_list("insee_code", "departement__code")[
            :: COMMUNES // 50
        ]
    )
    deps = sorted({dep for _insee, dep in communes})
    levels, routes = ["3", "4", "5", "6"], ["scolaire", "apprentissage", "continue"]
    filtered, distance, map_filtered = [], [], []
    for query in SEARCHES:
        dep = rng.choice(deps)
        filtered.append(
            f"/formations/?q={query}&niveau={rng.choice(levels)}"
            f"&voie={rng.choice(routes)}&departement={dep}"
        )
        insee, _dep = rng.choice(communes)
        distance.append(f"/formations/?q={query}&commune={insee}&rayon=50")
        map_filtered.append(
            f"/carte/donnees.geojson?voie={rng.choice(routes)}&departement={dep}"
        )
    return {
        "Page modèle sans requête (mentions légales)": ["/mentions-legales/"],
        "Catalogue : recherche (q)": [f"/formations/?q={q}" for q in SEARCHES],
        "Catalogue : recherche + niveau, voie, département": filtered,
        "Catalogue : recherche + distance (50 km)": distance,
        "Catalogue : sans filtre (300 000 offres)": ["/formations/"],
        "Carte : données GeoJSON, recherche (q)": [
            f"/carte/donnees.geojson?q={q}" for q in SEARCHES
        ],
        "Carte : données GeoJSON, voie + département": map_filtered,
        "Carte : données GeoJSON sans filtre (plafond 500)": ["/carte/donnees.geojson"],
    }


def measure(repetitions: int) -> list[tuple[str, float, float, int]]:
    from django.test import Client

    client = Client()
    rng = random.Random(SEED)
    results = []
    for label, urls in scenarios(rng).items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        timings = [timed_get(client, urls[n % len(urls)]) for n in range(repetitions)]
        p50, p95 = p50_p95(timings)
        results.append((label, p50, p95, len(timings)))
        print(f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    return results


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)

    from campus.network.models import Organisation
    from campus.places.models import Commune
    from campus.trainings.models import Offering

    if args.regenerate or Offering.objects.count() != OFFERINGS:
        print(f"Generating the national dataset on {args.database}…", flush=True)
        generate()
    offerings = Offering.objects.count()
    organisations = Organisation.objects.count()
    communes = Commune.objects.count()
    print(f"Measuring on {args.database} ({args.repetitions} requests each)…")
    dataset = (
        f"{offerings:_} offres, {organisations:_} organisations, "
        f"{communes:_} communes.".replace("_", " ")
    )
    text = report(args.database, dataset, measure(args.repetitions))
    write_report("trainings", args.database, text)


if __name__ == "__main__":
    main()
