"""ONISEP Idéo-Formations initiales en France: the certifications.

Dataset id `5fa591127f501`, read by `campus.opendata.importers.onisep` in CSV,
JSON or XML. One record per ONISEP formation (`FOR.x`). Quirks:
- `niveau_de_certification` runs backwards: 5 = niveau 3 (CAP), 4 = niveau 4,
  3 = niveau 5, 2 = niveau 6, 1 = niveau 7, 0 = not registered at the RNCP (the
  level then comes from `niveau_de_sortie_indicatif`: "CAP ou équivalent",
  "bac ou équivalent", "bac + 2"…);
- `code_rncp` has no `RNCP` prefix; `code_nsf` may hold several codes
  (`242 | 243`);
- the 2022 CSV named some columns differently (`code CNIS` for the NSF codes,
  `lien site onisep.fr`, `niveau RNCP`, `code RNCP`) and had no
  `niveau de sortie indicatif`.

A formation belongs to the sector when one of its NSF codes is one of the sector
profile's, or its title holds one of the profile's keywords. Certifications are
upserted by ONISEP id; a certification typed by hand (the demo's) with the same
RNCP code is adopted rather than duplicated.
"""

from pathlib import Path

from campus.opendata.importers import onisep
from campus.opendata.importers.base import ImportFileError, ImportReport, SkippedRow
from campus.opendata.progress import ProgressTracker
from campus.profiles.models import NSF_CODE, SectorProfile
from campus.search import fold
from campus.trainings.models import Certification, DiplomaType

LABEL = "ONISEP « Formations initiales en France »"
REQUIRED = {"libelle_formation_principal", "code_nsf"}
# 2022 CSV labels, as keys, mapped to the current keys.
RENAMED = {
    "lien_site_onisep_fr": "url_et_id_onisep",
    "niveau_rncp": "niveau_de_certification",
    # The NSF nomenclature is the CNIS's, hence this label; it holds NSF codes.
    "code_cnis": "code_nsf",
}
ONISEP_LEVELS = {"5": 3, "4": 4, "3": 5, "2": 6, "1": 7}
EXIT_LEVELS = [
    ("cap", 3),
    ("bac + 2", 5),
    ("bac + 3", 6),
    ("bac + 4", 6),
    ("bac + 5", 7),
    ("bac + 6", 8),
    ("bac + 8", 8),
    ("bac", 4),
]
DIPLOMA_TYPES = [
    ("certificat d'aptitude professionnelle", DiplomaType.CAP),
    ("brevet des metiers d'art", DiplomaType.BMA),
    ("baccalaureat professionnel", DiplomaType.BAC_PRO),
    # A sports and youth-work diploma whose name starts like the craft BP's.
    ("brevet professionnel de la jeunesse", DiplomaType.OTHER),
    ("brevet professionnel", DiplomaType.BP),
    ("diplome des metiers d'art", DiplomaType.DMA),
    ("diplome national des metiers d'art et du design", DiplomaType.DN_MADE),
    ("brevet de technicien superieur", DiplomaType.BTS),
    ("licence professionnelle", DiplomaType.LICENCE_PRO),
    ("master", DiplomaType.MASTER),
    ("titre professionnel", DiplomaType.TITRE_PRO),
    ("certificat de qualification professionnelle", DiplomaType.CQP),
]
DIPLOMA_ACRONYMS = {
    "CAP": DiplomaType.CAP,
    "BMA": DiplomaType.BMA,
    "BP": DiplomaType.BP,
    "BPJEPS": DiplomaType.OTHER,
    "DMA": DiplomaType.DMA,
    "BTS": DiplomaType.BTS,
    "DN MADE": DiplomaType.DN_MADE,
}
FIELDS = ["title", "diploma_type", "level", "rncp_code", "nsf_code", "onisep_id"]


def _folded_words(text: str) -> str:
    """Folded text with a space at each end, to find whole words in it."""
    return " " + fold(text.replace("'", " ")) + " "


def diploma_type(record: dict) -> str:
    acronym = record.get("sigle_type_formation", "").strip().upper()
    if acronym in DIPLOMA_ACRONYMS:
        return DIPLOMA_ACRONYMS[acronym]
    label = fold(record.get("libelle_type_formation", "").replace("'", " "))
    for words, kind in DIPLOMA_TYPES:
        if fold(words.replace("'", " ")) in label:
            return kind
    return DiplomaType.OTHER


def level(record: dict, line: int) -> int:
    code = record.get("niveau_de_certification", "").strip()
    if code and code not in ONISEP_LEVELS and code != "0":
        raise ImportFileError(
            f"niveau « {code} » inconnu (0 à 5 attendu).",
            line=line,
            column="niveau_de_certification",
        )
    if code in ONISEP_LEVELS:
        return ONISEP_LEVELS[code]
    exit_level = fold(record.get("niveau_de_sortie_indicatif", ""))
    for words, value in EXIT_LEVELS:
        if exit_level.startswith(fold(words)):
            return value
    raise SkippedRow("niveau de certification inconnu")


def nsf_codes(record: dict, line: int) -> list[str]:
    codes = onisep.split_values(record["code_nsf"])
    wrong = [code for code in codes if not NSF_CODE.match(code)]
    if wrong:
        raise ImportFileError(
            f"code NSF « {wrong[0]} » invalide (3 chiffres attendus).",
            line=line,
            column="code_nsf",
        )
    return codes


def rncp_code(record: dict, line: int, column: str = "code_rncp") -> str:
    """`RNCP` and the number ONISEP gives without its prefix, or nothing."""
    code = record.get(column, "").strip().upper().removeprefix("RNCP")
    if code and not code.isdigit():
        raise ImportFileError(
            f"code RNCP « {code} » invalide (un nombre attendu).",
            line=line,
            column=column,
        )
    return f"RNCP{code}" if code else ""


class Sector:
    def __init__(self, profile: SectorProfile):
        self.nsf = {code[:3] for code in profile.nsf_code_list}
        self.keywords = [_folded_words(word) for word in profile.keyword_list]

    def includes(self, title: str, codes: list[str]) -> bool:
        if any(code[:3] in self.nsf for code in codes):
            return True
        folded = _folded_words(title)
        return any(
            keyword.strip() and keyword.strip() in folded for keyword in self.keywords
        )


def map_formation(record: dict, line: int, sector: Sector) -> dict:
    identifier = onisep.onisep_id(record.get("url_et_id_onisep", ""))
    if not identifier:
        raise ImportFileError(
            "identifiant ONISEP (FOR.…) absent de l'adresse.",
            line=line,
            column="url_et_id_onisep",
        )
    title = record["libelle_formation_principal"].strip()
    if not title:
        raise ImportFileError(
            "intitulé vide.", line=line, column="libelle_formation_principal"
        )
    codes = nsf_codes(record, line)
    if not sector.includes(title, codes):
        raise SkippedRow("formation hors de la filière")
    return {
        "onisep_id": identifier,
        "title": title[:250],
        "diploma_type": diploma_type(record),
        "level": level(record, line),
        "rncp_code": rncp_code(record, line),
        "nsf_code": codes[0] if codes else "",
    }


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    sector = Sector(SectorProfile.load())
    by_onisep_id = {
        c.onisep_id: c
        for c in Certification.objects.exclude(onisep_id="").order_by("pk")
    }
    by_rncp = {
        c.rncp_code: c
        for c in Certification.objects.filter(onisep_id="")
        .exclude(rncp_code="")
        .order_by("pk")
    }
    for values in onisep.kept_records(
        path,
        required=REQUIRED,
        label=LABEL,
        progress=progress,
        report=report,
        map_record=lambda record, line: map_formation(record, line, sector),
        key="onisep_id",
        duplicate="formation en double dans le fichier",
        renamed=RENAMED,
    ):
        certification = by_onisep_id.get(values["onisep_id"]) or by_rncp.pop(
            values["rncp_code"], None
        )
        if certification is None:
            certification = Certification(
                source=onisep.SOURCE, source_licence=onisep.LICENCE, **values
            )
            certification.save()
            by_onisep_id[values["onisep_id"]] = certification
            report.created += 1
            continue
        unchanged = all(getattr(certification, f) == values[f] for f in FIELDS)
        if (
            unchanged
            and certification.source == onisep.SOURCE
            and not certification.is_demo
        ):
            report.unchanged += 1
            continue
        for field, value in values.items():
            setattr(certification, field, value)
        certification.source, certification.source_licence = (
            onisep.SOURCE,
            onisep.LICENCE,
        )
        certification.is_demo = False
        certification.save()
        report.updated += 1
    progress.finish()
