"""ONISEP, table de passage des codes certifications et formations.

Published by ONISEP (opendata.onisep.fr) in CSV, JSON and XML, licence ODbL,
read by `campus.opendata.importers.onisep`. One record per certification of
Certif Info (`certif_info_ci_identifiant`) with its other codes: RNCP
(`ci_code_rncp`, no prefix), diploma code of the BCN (`ci_code_scolarite`, the
CFD), ONISEP formation (`ideo_identifiant_formation`, `FOR.x`), the European
level (`ci_niveau_europeen`, on the national scale, not reversed as in
Idéo-Formations) and the kind of diploma (`ci_intitule_type_diplome`). Quirks:
codes are often empty (`<ci_code_scolarite/>`); several options of one diploma
share their RNCP code (Bac pro métiers du cuir: maroquinerie, chaussures,
sellerie garnissage), each with its own CFD and ONISEP id; `ci_certifiant` is
`Non` for trainings that lead to no certification.

It is the bridge between the national codes: a certification of the sector
(its title holds one of the sector profile's keywords) is found by ONISEP id,
else by RNCP code when the file has one row for it, else by title among those
typed without any code, else created. A certification typed by hand (the
demo's) is adopted; one imported from another official source only receives
the codes it lacks.
"""

from collections import Counter
from pathlib import Path

from django.core.validators import RegexValidator

from campus.opendata.importers import onisep
from campus.opendata.importers.base import ImportFileError, ImportReport, SkippedRow
from campus.opendata.importers.onisep_formations import (
    DIPLOMA_ACRONYMS,
    Sector,
    diploma_type,
    rncp_code,
)
from campus.opendata.progress import ProgressTracker
from campus.profiles.models import SectorProfile
from campus.search import fold
from campus.trainings.models import Certification, DiplomaType, Level

LABEL = "ONISEP « table de passage des codes certifications et formations »"
REQUIRED = {
    "certif_info_ci_identifiant",
    "ci_intitule",
    "ci_niveau_europeen",
    "ci_code_rncp",
    "ci_code_scolarite",
    "ideo_identifiant_formation",
}
ACRONYMS = {**DIPLOMA_ACRONYMS, "CQP": DiplomaType.CQP, "TP": DiplomaType.TITRE_PRO}
validate_cfd = RegexValidator(
    r"^[0-9A-Z]{8}$", "« %(value)s » invalide (8 chiffres ou lettres attendu)."
)
validate_formation_id = RegexValidator(
    r"^FOR\.\d+$", "« %(value)s » invalide (FOR. et un nombre attendu)."
)
CODES = ["rncp_code", "cfd_code", "onisep_id"]
FIELDS = ["title", "diploma_type", "level", *CODES]


def map_record(record: dict, line: int, sector: Sector) -> dict:
    title = record["ci_intitule"].strip()
    if not title:
        raise ImportFileError("intitulé vide.", line=line, column="ci_intitule")
    if record.get("ci_certifiant", "").strip().lower() == "non":
        raise SkippedRow("formation non certifiante")
    texts = [
        title,
        record.get("rncp_intitule", ""),
        record.get("ideo_libelle_complet_formation", ""),
    ]
    if not any(sector.includes(text, []) for text in texts if text):
        raise SkippedRow("certification hors de la filière")
    return {
        "certif_info_id": record["certif_info_ci_identifiant"].strip(),
        "title": title[:250],
        "diploma_type": _diploma_type(record, title),
        "level": _level(record, line),
        "rncp_code": rncp_code(record, line, "ci_code_rncp"),
        "cfd_code": _code(record, "ci_code_scolarite", validate_cfd, line),
        "onisep_id": _code(
            record, "ideo_identifiant_formation", validate_formation_id, line
        ),
    }


def _diploma_type(record: dict, title: str) -> str:
    first_word = title.split(" ", 1)[0].upper()
    if first_word in ACRONYMS:
        return ACRONYMS[first_word]
    return diploma_type(
        {"libelle_type_formation": record.get("ci_intitule_type_diplome", "")}
    )


def _level(record: dict, line: int) -> int:
    value = record["ci_niveau_europeen"].strip()
    if not value.isdigit() or not 1 <= int(value) <= 8:
        raise ImportFileError(
            f"niveau « {value} » inconnu (1 à 8 attendu).",
            line=line,
            column="ci_niveau_europeen",
        )
    if int(value) not in Level.values:
        raise SkippedRow("niveau 1 ou 2 : hors du catalogue des formations")
    return int(value)


def _code(record: dict, column: str, validate, line: int) -> str:
    """A code the record may leave empty, upper-cased and checked when given."""
    value = record[column].strip().upper()
    return value and onisep.checked_identifier(value, validate, line, column)


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    sector = Sector(SectorProfile.load())
    kept = list(
        onisep.kept_records(
            path,
            required=REQUIRED,
            label=LABEL,
            progress=progress,
            report=report,
            map_record=lambda record, line: map_record(record, line, sector),
            key="certif_info_id",
            duplicate="certification en double dans le fichier",
        )
    )
    rows_by_rncp = Counter(values["rncp_code"] for values in kept)
    for values in kept:
        del values["certif_info_id"]
        _upsert(values, rows_by_rncp, report)
    progress.finish()


def _find(values: dict, rows_by_rncp: Counter) -> Certification | None:
    certifications = Certification.objects.order_by("pk")
    if values["onisep_id"]:
        found = certifications.filter(onisep_id=values["onisep_id"]).first()
        if found:
            return found
    if values["rncp_code"] and rows_by_rncp[values["rncp_code"]] == 1:
        found = certifications.filter(rncp_code=values["rncp_code"]).first()
        if found:
            return found
    # One typed without any code ("CAP Maroquinerie") is the same diploma by name.
    title = fold(values["title"])
    uncoded = certifications.filter(rncp_code="", onisep_id="", cfd_code="")
    return next((c for c in uncoded if fold(c.title) == title), None)


def _upsert(values: dict, rows_by_rncp: Counter, report: ImportReport) -> None:
    certification = _find(values, rows_by_rncp)
    if certification is None:
        Certification(
            source=onisep.SOURCE, source_licence=onisep.LICENCE, **values
        ).save()
        report.created += 1
        return
    official = (
        certification.source not in ("", onisep.SOURCE) and not certification.is_demo
    )
    if official:
        # Another publisher's record keeps its content: only the missing codes come.
        changes = {
            code: values[code]
            for code in CODES
            if values[code] and not getattr(certification, code)
        }
    else:
        changes = {
            field: values[field]
            for field in FIELDS
            if values[field] != getattr(certification, field)
            and (values[field] or field not in CODES)
        }
        if certification.source != onisep.SOURCE or certification.is_demo:
            changes.update(
                source=onisep.SOURCE, source_licence=onisep.LICENCE, is_demo=False
            )
    if not changes:
        report.unchanged += 1
        return
    for field, value in changes.items():
        setattr(certification, field, value)
    certification.save()
    report.updated += 1
