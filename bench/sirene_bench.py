"""Benchmark of the Sirene importer against a plain polars scan of the same file.

Generates StockEtablissement files in the current layout (1 % of rows active,
of a sector NAF code, in Bourgogne-Franche-Comté) under var/bench/, then, each
in its own process so that peak memory is its own:
- scan: polars reads the file lazily, applies the same filter and collects the
  kept rows with its streaming engine;
- import: `run_import("sirene", ...)` into a fresh database (SQLite, or
  PostgreSQL with --postgres), after loading the shipped communes.
With --names, a StockUniteLegale file (one legal unit per establishment) is
generated too: the scan joins the kept rows to it, the import reads the names
from it (`--unites-legales`).

Each figure is the median of --repeat runs.

Usage: python bench/sirene_bench.py [--rows 1000000 --rows 5000000] [--repeat 3]
       [--postgres postgres://postgres@127.0.0.1:5432/opendatawt] [--names]
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SECTOR_NAF = ["15.11Z", "15.12Z", "14.11Z", "32.12Z", "32.13Z", "25.99B"]
BFC_DEPARTEMENTS = ["21", "25", "39", "58", "70", "71", "89", "90"]
# Communes of the shipped Bourgogne-Franche-Comté file, with Lambert-93 coordinates.
BFC_COMMUNES = [
    ("21425", "MONTBARD", "21500", 800559, 6725632),
    ("21231", "DIJON", "21000", 854186, 6693223),
    ("25056", "BESANCON", "25000", 928403, 6686556),
    ("89024", "AUXERRE", "89000", 741500, 6743500),
    ("71076", "CHALON-SUR-SAONE", "71100", 842000, 6632000),
    ("39198", "DOLE", "39100", 888000, 6666000),
]
OTHER_COMMUNES = [
    ("75056", "PARIS", "75001", 651000, 6862000),
    ("69123", "LYON", "69001", 842000, 6519000),
    ("13055", "MARSEILLE", "13001", 892000, 6247000),
    ("33063", "BORDEAUX", "33000", 417000, 6423000),
]
OTHER_NAF = [
    "47.11B", "56.10A", "68.20A", "70.22Z", "43.21A", "86.21Z", "62.01Z",
    "96.02A", "49.41A", "45.20A", "10.71C", "41.20A", "81.21Z", "85.59A",
]  # fmt: skip
HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,"
    "trancheEffectifsEtablissement,anneeEffectifsEtablissement,"
    "activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,"
    "numeroVoieEtablissement,indiceRepetitionEtablissement,"
    "dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,"
    "libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,"
    "distributionSpecialeEtablissement,codeCommuneEtablissement,"
    "codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,"
    "libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,"
    "coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,"
    "complementAdresse2Etablissement,numeroVoie2Etablissement,"
    "indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,"
    "codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,"
    "codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,"
    "codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,"
    "etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,"
    "enseigne3Etablissement,denominationUsuelleEtablissement,"
    "activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
    "caractereEmployeurEtablissement,activitePrincipaleNAF25Etablissement"
)
ROW = (
    "{siren},{nic},{siren}{nic},O,2012-04-01,{tranche},2023,,2025-06-12T10:31:07,"
    "true,2,{complement},{number},,,,RUE,{street},{postal},{city},,,{code},,,,,"
    "{code}_{number}_0001,{x},{y},,,,,,,,,,,,,,,2020-01-01,{state},,,,{name},{naf},"
    "NAFRev2,O,{naf}\n"
)
# As in the real file, a few addresses hold a comma and are quoted.
COMPLEMENTS = ['"BATIMENT A, ETAGE 2"', "ZI DES GRANDS PRES"] + [""] * 48
# Bumped when the generated rows change, so that an old file is not reused.
FILE_VERSION = 2
STREETS = ["DE LA REPUBLIQUE", "DES TANNEURS", "DU GENERAL DE GAULLE", "VICTOR HUGO"]


def generate(path: Path, rows: int) -> None:
    """A file where 1 % of rows are kept, and 0.5 % more are sector rows left out."""
    rng = random.Random(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(HEADER + "\n")
        lines = []
        for index in range(rows):
            draw = rng.random()
            state = "A"
            if draw < 0.01:
                naf, commune = rng.choice(SECTOR_NAF), rng.choice(BFC_COMMUNES)
            elif draw < 0.0125:
                naf, commune = rng.choice(SECTOR_NAF), rng.choice(OTHER_COMMUNES)
            elif draw < 0.015:
                naf, commune, state = (
                    rng.choice(SECTOR_NAF),
                    rng.choice(BFC_COMMUNES),
                    "F",
                )
            else:
                naf = rng.choice(OTHER_NAF)
                commune = rng.choice(BFC_COMMUNES + OTHER_COMMUNES)
                state = "A" if draw < 0.6 else "F"
            code, city, postal, x, y = commune
            lines.append(
                ROW.format(
                    siren=f"{100000000 + index:09d}",
                    nic=f"{rng.randrange(1, 99999):05d}",
                    tranche=rng.choice(["NN", "00", "01", "02", "11"]),
                    number=rng.randrange(1, 120),
                    street=rng.choice(STREETS),
                    postal=postal,
                    city=city,
                    code=code,
                    complement=rng.choice(COMPLEMENTS),
                    x=f"{x + rng.uniform(-3000, 3000):.1f}",
                    y=f"{y + rng.uniform(-3000, 3000):.1f}",
                    state=state,
                    name=f"ETABLISSEMENT {index}",
                    naf=naf,
                )
            )
            if len(lines) == 10000:
                stream.writelines(lines)
                lines = []
        stream.writelines(lines)


def median(results: list[dict]) -> dict:
    """The run of median time (the lower middle one for an even count)."""
    ordered = sorted(results, key=lambda result: result["seconds"])
    return ordered[(len(ordered) - 1) // 2]


UNITS_HEADER = (
    "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,"
    "sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,"
    "prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,"
    "pseudonymeUniteLegale,identifiantAssociationUniteLegale,"
    "trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,"
    "dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,"
    "anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,"
    "nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,"
    "denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,"
    "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,"
    "nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,"
    "economieSocialeSolidaireUniteLegale,caractereEmployeurUniteLegale"
)
UNIT_ROW = (
    "{siren},O,,2012-04-01,,{sex},{first_name},,,,,,,NN,,2025-06-12T10:31:07,3,PME,"
    "2022,2020-01-01,A,{last_name},,{name},,,,{legal_form},47.11B,NAFRev2,00012,N,O\n"
)


def generate_units(path: Path, rows: int) -> None:
    """One legal unit per establishment: companies, some quoted, and sole traders."""
    rng = random.Random(-rows)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(UNITS_HEADER + "\n")
        lines = []
        for index in range(rows):
            person = rng.random() < 0.3
            name = (
                f'"SOCIETE {index}, SAS"' if rng.random() < 0.02 else f"SOCIETE {index}"
            )
            lines.append(
                UNIT_ROW.format(
                    siren=f"{100000000 + index:09d}",
                    sex="F" if person else "",
                    first_name="CLAIRE" if person else "",
                    last_name=f"DURAND{index}" if person else "",
                    name="" if person else name,
                    legal_form="1000" if person else "5710",
                )
            )
            if len(lines) == 10000:
                stream.writelines(lines)
                lines = []
        stream.writelines(lines)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scan(path: Path, units: Path | None) -> dict:
    import polars as pl

    start = time.perf_counter()
    kept = pl.scan_csv(path, infer_schema=False).filter(
        (pl.col("etatAdministratifEtablissement") == "A")
        & pl.col("activitePrincipaleEtablissement").is_in(SECTOR_NAF)
        & pl.col("codeCommuneEtablissement").str.slice(0, 2).is_in(BFC_DEPARTEMENTS)
    )
    if units is not None:
        names = pl.scan_csv(units, infer_schema=False).select(
            "siren", "denominationUniteLegale", "prenom1UniteLegale", "nomUniteLegale"
        )
        kept = kept.join(names, on="siren", how="left")
    kept = kept.collect(engine="streaming")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "kept": kept.height, "peak_mb": peak_memory_mb()}


def import_(path: Path, database_url: str, units: Path | None) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
    os.environ["CAMPUS_VAR_DIR"] = str(BENCH_DIR / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "campus.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from campus.opendata.services import run_import
    from campus.places.models import Departement, Region
    from campus.profiles.models import CampusProfile, SectorProfile

    call_command("migrate", verbosity=0)
    call_command("load_communes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    region = Region.objects.get(code="27")
    campus = CampusProfile(name="Campus du banc d'essai", region=region)
    campus.save()
    campus.departements.set(Departement.objects.filter(region=region))
    SectorProfile(name="Maroquinerie", naf_codes=", ".join(SECTOR_NAF)).save()
    before_mb = peak_memory_mb()
    start = time.perf_counter()
    run = run_import("sirene", path, unites_legales=units)
    seconds = time.perf_counter() - start
    assert run.status == "succeeded", run.error
    return {
        "seconds": seconds,
        "rows": run.rows_read,
        "created": run.created,
        "peak_mb": peak_memory_mb(),
        "peak_before_import_mb": before_mb,
    }


def in_subprocess(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def fresh_database(kind: str, rows: int, postgres: str | None) -> str:
    if kind == "sqlite":
        path = BENCH_DIR / f"bench-{rows}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = f"opendatawt_bench_{rows}"
    with psycopg.connect(
        postgres.rsplit("/", 1)[0] + "/postgres", autocommit=True
    ) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name}")
    return postgres.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--postgres", help="URL of a PostgreSQL server to test too.")
    parser.add_argument("--repeat", type=int, default=3, help="Median of N runs.")
    parser.add_argument("--mode", choices=["scan", "import"])
    parser.add_argument("--path", type=Path)
    parser.add_argument("--database-url")
    parser.add_argument("--units", type=Path, help="StockUniteLegale file to read.")
    parser.add_argument(
        "--names", action="store_true", help="Read the names from StockUniteLegale."
    )
    args = parser.parse_args()
    if args.mode == "scan":
        print(json.dumps(scan(args.path, args.units)))
        return
    if args.mode == "import":
        print(json.dumps(import_(args.path, args.database_url, args.units)))
        return
    print(
        f"{os.cpu_count()} processeurs, charge moyenne {os.getloadavg()[0]:.1f} ; "
        f"médiane de {args.repeat} passages."
    )
    print("| lignes | Mo | moteur | secondes | lignes/s | gardées | mémoire max (Mo) |")
    print("|---|---|---|---|---|---|---|")
    for rows in args.rows or [1_000_000, 5_000_000]:
        path = BENCH_DIR / f"StockEtablissement_{FILE_VERSION}_{rows}.csv"
        if not path.exists():
            generate(path, rows)
        size_mb = path.stat().st_size / 1e6
        units_args = []
        if args.names:
            units = BENCH_DIR / f"StockUniteLegale_{rows}.csv"
            if not units.exists():
                generate_units(units, rows)
            size_mb += units.stat().st_size / 1e6
            units_args = ["--units", str(units)]
        results = [
            in_subprocess("--mode", "scan", "--path", str(path), *units_args)
            for _ in range(args.repeat)
        ]
        result = median(results)
        scan_rate = rows / result["seconds"]
        print(
            f"| {rows:,} | {size_mb:.0f} | polars scan | {result['seconds']:.2f} "
            f"| {scan_rate:,.0f} | {result['kept']:,} | {result['peak_mb']:.0f} |",
            flush=True,
        )
        for kind in ["sqlite"] + (["postgresql"] if args.postgres else []):
            results = []
            for _ in range(args.repeat):
                url = fresh_database(kind, rows, args.postgres)
                results.append(
                    in_subprocess(
                        "--mode",
                        "import",
                        "--path",
                        str(path),
                        "--database-url",
                        url,
                        *units_args,
                    )
                )
            result = median(results)
            rate = result["rows"] / result["seconds"]
            print(
                f"| {rows:,} | {size_mb:.0f} | import {kind} | {result['seconds']:.2f} "
                f"| {rate:,.0f} (× {rate / scan_rate:.2f}) | {result['created']:,} "
                f"| {result['peak_mb']:.0f} (avant l'import : "
                f"{result['peak_before_import_mb']:.0f}) |",
                flush=True,
            )


if __name__ == "__main__":
    main()
