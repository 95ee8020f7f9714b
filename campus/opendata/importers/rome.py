"""France Travail, ROME 4.0: the sector's trades, their job titles and texts.

Source: francetravail.io and data.gouv.fr, `RefRomeCsv.zip` (one CSV per
table, `unix_<table>_v<version>_utf8.csv`), Licence Ouverte 2.0. Format: UTF-8
without BOM, `,`, every value double-quoted, LF. Quirks: apostrophes are
sometimes doubled (`d''oeuvres`); the version is in the file names (v460,
v461…), so members are found by pattern; `unix_texte` holds one sentence per
row (`definition` and `acces_metier`, ordered by `position_phrase`).

Read: `unix_referentiel_code_rome` (fiches), `unix_texte` (definitions) and
`unix_referentiel_appellation` (job titles) — from the zip, or from a folder
holding the extracted files when the fiches file is given. The sector
profile's ROME codes select the fiches; each becomes a `RomeJob` with its
titles, and a trade of the campus is created for a code no trade covers yet.
"""

import re
import zipfile
import zlib
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    SkippedRow,
    check_not_binary,
    clean_cell,
    dict_rows,
    file_start,
)
from campus.opendata.progress import ProgressTracker
from campus.profiles.models import ROME_CODE, SectorProfile
from campus.slugs import unique_slug
from campus.trades.models import Appellation, RomeJob, Trade

SOURCE = "France Travail, ROME 4.0"
LICENCE = "Licence Ouverte 2.0"
LABEL = "référentiel ROME (RefRomeCsv)"
TABLES = {
    "fiches": (
        re.compile(r"unix_referentiel_code_rome_v\d+_utf8\.csv$"),
        {"code_rome", "libelle_rome"},
    ),
    "texts": (
        re.compile(r"unix_texte_v\d+_utf8\.csv$"),
        {"code_rome", "libelle_type_texte", "position_phrase", "libelle_texte"},
    ),
    "titles": (
        re.compile(r"unix_referentiel_appellation_v\d+_utf8\.csv$"),
        {"code_ogr", "libelle_appellation_long", "code_rome", "classification"},
    ),
}


@contextmanager
def open_tables(path: Path):
    """name -> opener of each table, from the zip or from the fiches file's folder."""
    start = file_start(path)
    if start.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            yield {
                key: (lambda n=name: archive.open(n))
                for key, (pattern, _) in TABLES.items()
                for name in names
                if pattern.search(name)
            }
        return
    check_not_binary(start, LABEL)
    if not TABLES["fiches"][0].search(path.name):
        raise ImportFileError(
            f"ce fichier n'est pas un {LABEL} : donnez le zip RefRomeCsv ou le fichier "
            "unix_referentiel_code_rome_v…_utf8.csv."
        )
    yield {
        key: (lambda p=sibling: p.open("rb"))
        for key, (pattern, _) in TABLES.items()
        for sibling in sorted(path.parent.iterdir())
        if pattern.search(sibling.name)
    }


def read_table(opener, key: str, progress: ProgressTracker):
    with opener() as raw:
        yield from dict_rows(raw, progress, table=key, required=TABLES[key][1])


def map_fiche(row: dict, line: int, sector_codes: set[str]) -> dict:
    code = clean_cell(row["code_rome"]).upper()
    if not ROME_CODE.match(code):
        raise ImportFileError(
            f"code ROME « {code[:10]} » invalide (une lettre et 4 chiffres attendus).",
            line=line,
            column="code_rome",
        )
    if code not in sector_codes:
        raise SkippedRow("fiche hors de la filière")
    label = clean_cell(row["libelle_rome"])
    if not label:
        raise ImportFileError("intitulé vide.", line=line, column="libelle_rome")
    return {"code": code, "label": label[:250]}


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    sector_codes = set(SectorProfile.load().rome_code_list)
    progress.set_total(path.stat().st_size)
    try:
        with open_tables(path) as tables:
            if "fiches" not in tables:
                raise ImportFileError(
                    f"ce fichier n'est pas un {LABEL} : table "
                    "unix_referentiel_code_rome absente."
                )
            _import(tables, sector_codes, report, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ImportFileError(f"archive zip illisible ou tronquée ({error}).") from None
    progress.finish()


def _import(tables, sector_codes, report, progress) -> None:
    kept: dict[str, dict] = {}
    for line, row in read_table(tables["fiches"], "fiches", progress):
        report.rows_read += 1
        try:
            values = map_fiche(row, line, sector_codes)
        except SkippedRow as skipped:
            report.skip(line, skipped.reason)
            continue
        if values["code"] in kept:
            report.skip(line, "fiche en double dans le fichier")
            continue
        kept[values["code"]] = values
    texts: defaultdict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    if "texts" in tables:
        for line, row in read_table(tables["texts"], "texts", progress):
            code = clean_cell(row["code_rome"])
            if code in kept:
                try:
                    position = int(row["position_phrase"])
                except ValueError:
                    raise ImportFileError(
                        f"« {row['position_phrase'][:10]} » n'est pas un numéro.",
                        line=line,
                        column="position_phrase",
                    ) from None
                texts[code, clean_cell(row["libelle_type_texte"])].append(
                    (position, clean_cell(row["libelle_texte"]))
                )
    for code, values in kept.items():
        values["definition"] = "\n".join(
            t for _, t in sorted(texts[code, "definition"])
        )
        values["access"] = "\n".join(t for _, t in sorted(texts[code, "acces_metier"]))
    jobs = _persist_jobs(kept, report)
    if "titles" in tables:
        _persist_titles(tables["titles"], jobs, progress)
    _create_missing_trades(jobs, report)


def _persist_jobs(kept: dict[str, dict], report) -> dict[str, RomeJob]:
    jobs = {job.code: job for job in RomeJob.objects.filter(code__in=kept)}
    for code, values in kept.items():
        jobs[code] = report.upsert(
            jobs.get(code), values, RomeJob, source=SOURCE, source_licence=LICENCE
        )
    return jobs


def _persist_titles(opener, jobs: dict[str, RomeJob], progress) -> None:
    existing = {
        a.code_ogr: a for a in Appellation.objects.filter(rome_job__in=jobs.values())
    }
    for line, row in read_table(opener, "titles", progress):
        job = jobs.get(clean_cell(row["code_rome"]))
        if job is None:
            continue
        code_ogr = clean_cell(row["code_ogr"])
        if not code_ogr.isdigit():
            raise ImportFileError(
                f"code OGR « {code_ogr[:10]} » invalide.", line=line, column="code_ogr"
            )
        values = {
            "rome_job": job,
            "label": clean_cell(row["libelle_appellation_long"])[:250],
            "is_main": clean_cell(row["classification"]) == "PRINCIPALE",
        }
        appellation = existing.get(code_ogr)
        if appellation is None:
            existing[code_ogr] = Appellation.objects.create(code_ogr=code_ogr, **values)
        elif any(getattr(appellation, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(appellation, key, value)
            appellation.save()


def _create_missing_trades(jobs: dict[str, RomeJob], report) -> None:
    covered = {code for trade in Trade.objects.all() for code in trade.rome_code_list}
    created = 0
    for code, job in sorted(jobs.items()):
        if code in covered:
            continue
        Trade.objects.create(
            name=job.label[:150],
            slug=unique_slug(
                Trade, job.label, max_length=160, default=job.code.lower()
            ),
            rome_codes=code,
            description=job.definition[:8000],
        )
        created += 1
    report.summary = {
        "title": "Métiers ajoutés au catalogue",
        "columns": ["métiers créés"],
        "rows": [[created]],
    }
