"""France compétences: the RNCP and RS registers of certifications.

Source: data.gouv.fr, "Répertoire national des certifications professionnelles
et répertoire spécifique", Licence Ouverte 2.0. Two exports are read:
- `export-fiches-csv-<date>.zip`: 10 CSV files (UTF-8 without BOM, `;`, every
  value quoted, CRLF, dates dd/mm/yyyy). Quirks: member names hold accents
  (`Blocs_De_Compétences`), so they are found by pattern; SIRET values start
  with a TAB inside the quotes; an apostrophe is sometimes doubled (`d''affaires`);
  the CSV export has no skill lists, only block titles;
- `export-fiches-rncp-v4-1-<date>.zip` (or its XML alone): `FICHES/FICHE`
  elements per the official XSD v4.1, streamed with iterparse. A block's skills
  (`LISTE_COMPETENCES`) and assessment (`MODALITES_EVALUATION`) are HTML typed
  by the certifiers; Campus keeps their text, one list item or paragraph a line.

A fiche belongs to the sector when one of its NSF or ROME codes is one of the
sector profile's, or its title holds one of the profile's keywords; inactive
fiches are left out. Certifications are upserted by RNCP (or RS) number with
their level, NSF and ROME codes, certifiers and skill blocks. Blocks are updated
in place, matched by code (by position when they have none), so the offerings
that say which blocks they prepare keep them; a block the CSV export repeats
without its skills keeps those the XML gave.
"""

import html
import re
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import nh3

from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    SkippedRow,
    check_not_binary,
    clean_cell,
    dict_rows,
    file_start,
    open_csv_text,
)
from campus.opendata.importers.onisep_formations import DIPLOMA_ACRONYMS, Sector
from campus.opendata.progress import ProgressTracker
from campus.profiles.models import SectorProfile
from campus.trainings.models import Certification, DiplomaType, SkillBlock

SOURCE = "France compétences, RNCP et RS"
LICENCE = "Licence Ouverte 2.0"
LABEL = "export RNCP/RS de France compétences"
FICHE_NUMBER = re.compile(r"^(RNCP|RS)\d{1,6}$")
LEVELS = {f"NIV{n}": n for n in range(3, 9)}
MEMBERS = {
    "standard": re.compile(r"_Standard_[\d_]+\.csv$"),
    "nsf": re.compile(r"_Nsf_[\d_]+\.csv$"),
    "rome": re.compile(r"_Rome_[\d_]+\.csv$"),
    "blocks": re.compile(r"_Blocs_De_Comp.+\.csv$"),
    "certifiers": re.compile(r"_Certificateurs_[\d_]+\.csv$"),
}
STANDARD_COLUMNS = {
    "Numero_Fiche",
    "Intitule",
    "Abrege_Libelle",
    "Nomenclature_Europe_Niveau",
    "Actif",
}


class Block(NamedTuple):
    code: str
    title: str
    skills: str = ""
    assessment: str = ""


class Fiche:
    """What Campus keeps of one fiche, whichever export it comes from."""

    def __init__(self, number, title, acronym, level_code, active):
        self.number, self.title, self.acronym = number, title, acronym
        self.level_code, self.active = level_code, active
        self.nsf: list[str] = []
        self.rome: list[str] = []
        self.blocks: list[Block] = []
        self.certifiers: list[str] = []


def check_fiche(fiche: Fiche, line: int) -> None:
    if not FICHE_NUMBER.match(fiche.number):
        raise ImportFileError(
            f"numéro de fiche « {fiche.number[:20]} » invalide (RNCP… ou RS… attendu).",
            line=line,
            column="Numero_Fiche",
        )


def map_fiche(fiche: Fiche, sector: Sector, sector_rome: set[str]) -> dict:
    if not fiche.active:
        raise SkippedRow("fiche inactive")
    in_sector = sector.includes(fiche.title, fiche.nsf) or sector_rome & set(fiche.rome)
    if not in_sector:
        raise SkippedRow("certification hors de la filière")
    # "REPRISE", "AUCUN" or empty: older fiches placed at no level of the framework.
    if fiche.level_code not in LEVELS:
        raise SkippedRow("certification sans niveau de 3 à 8")
    return {
        "rncp_code": fiche.number,
        "title": fiche.title[:250],
        "diploma_type": DIPLOMA_ACRONYMS.get(fiche.acronym.upper(), DiplomaType.OTHER),
        "level": LEVELS[fiche.level_code],
        "nsf_code": fiche.nsf[0][:4] if fiche.nsf else "",
        "rome_codes": ", ".join(fiche.rome[:10]),
        "certifiers": "\n".join(fiche.certifiers),
    }


# --- CSV export -------------------------------------------------------------


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    found = {}
    for name in archive.namelist():
        for key, pattern in MEMBERS.items():
            if pattern.search(name):
                found[key] = name
    if "standard" not in found:
        raise ImportFileError(
            f"ce fichier n'est pas un {LABEL} : fichier « Standard » absent de l'archive."
        )
    return found


def _rows(archive, name, progress, required):
    with archive.open(name) as raw:
        yield from dict_rows(
            raw, progress, table=name, required=required, delimiter=";"
        )


def csv_fiches(path: Path, progress: ProgressTracker):
    with zipfile.ZipFile(path) as archive:
        members = _members(archive)
        progress.set_total(sum(archive.getinfo(m).file_size for m in members.values()))
        fiches: dict[str, Fiche] = {}
        in_order: list[tuple[int, Fiche]] = []
        for line, row in _rows(
            archive, members["standard"], progress, STANDARD_COLUMNS
        ):
            fiche = Fiche(
                clean_cell(row["Numero_Fiche"]),
                clean_cell(row["Intitule"]),
                clean_cell(row["Abrege_Libelle"]),
                clean_cell(row["Nomenclature_Europe_Niveau"]),
                clean_cell(row["Actif"]) == "ACTIVE",
            )
            check_fiche(fiche, line)
            fiches.setdefault(fiche.number, fiche)
            in_order.append((line, fiche))
        extra = [
            (
                "nsf",
                {"Numero_Fiche", "Nsf_Code"},
                lambda f, r: f.nsf.append(clean_cell(r["Nsf_Code"])),
            ),
            (
                "rome",
                {"Numero_Fiche", "Codes_Rome_Code"},
                lambda f, r: f.rome.append(clean_cell(r["Codes_Rome_Code"])),
            ),
            (
                "blocks",
                {"Numero_Fiche", "Bloc_Competences_Code", "Bloc_Competences_Libelle"},
                lambda f, r: f.blocks.append(
                    Block(
                        clean_cell(r["Bloc_Competences_Code"]),
                        clean_cell(r["Bloc_Competences_Libelle"]),
                    )
                ),
            ),
            (
                "certifiers",
                {"Numero_Fiche", "Nom_Certificateur"},
                lambda f, r: f.certifiers.append(clean_cell(r["Nom_Certificateur"])),
            ),
        ]
        for key, required, add in extra:
            if key in members:
                for _line, row in _rows(archive, members[key], progress, required):
                    fiche = fiches.get(clean_cell(row["Numero_Fiche"]))
                    if fiche is not None:
                        add(fiche, row)
        yield from in_order


# --- XML export -------------------------------------------------------------


def _text(element, path: str) -> str:
    found = element.find(path)
    return clean_cell(found.text if found is not None else "")


_LINE_BREAK = re.compile(r"<br\s*/?>|</(?:p|li|div|h\d)>", re.IGNORECASE)
_BLANKS = re.compile(r"[ \t\xa0]+")
MAX_BLOCK_TEXT = 32768


def plain_text(value: str) -> str:
    """The text of the HTML a certifier typed: no tag, one item or paragraph a line."""
    text = html.unescape(nh3.clean(_LINE_BREAK.sub("\n", value), tags=set()))
    lines = (_BLANKS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_BLOCK_TEXT]


def xml_fiches(stream, progress: ProgressTracker):
    number = 0
    try:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag != "FICHE":
                continue
            number += 1
            fiche = Fiche(
                _text(element, "NUMERO_FICHE"),
                _text(element, "INTITULE"),
                _text(element, "ABREGE/CODE"),
                _text(element, "NOMENCLATURE_EUROPE/NIVEAU"),
                _text(element, "ACTIF") == "Oui",
            )
            check_fiche(fiche, number)
            fiche.nsf = [_text(e, "CODE") for e in element.iterfind("CODES_NSF/NSF")]
            fiche.rome = [_text(e, "CODE") for e in element.iterfind("CODES_ROME/ROME")]
            fiche.blocks = [
                Block(
                    _text(e, "CODE"),
                    _text(e, "LIBELLE"),
                    plain_text(_text(e, "LISTE_COMPETENCES")),
                    plain_text(_text(e, "MODALITES_EVALUATION")),
                )
                for e in element.iterfind("BLOCS_COMPETENCES/BLOC_COMPETENCES")
            ]
            fiche.certifiers = [
                _text(e, "NOM_CERTIFICATEUR")
                for e in element.iterfind("CERTIFICATEURS/CERTIFICATEUR")
            ]
            element.clear()
            yield number, fiche
    except ElementTree.ParseError as error:
        raise ImportFileError(
            f"XML mal formé ou tronqué (fiche {number + 1}, {error}).",
            line=error.position[0],
        ) from None
    if number == 0:
        raise ImportFileError(f"ce fichier n'est pas un {LABEL} : aucune FICHE.")


def fiches_of(path: Path, progress: ProgressTracker):
    try:
        yield from _fiches_of(path, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ImportFileError(f"archive zip illisible ou tronquée ({error}).") from None


def _fiches_of(path: Path, progress: ProgressTracker):
    start = file_start(path)
    if start.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as archive:
            xml_members = [n for n in archive.namelist() if n.lower().endswith(".xml")]
        if xml_members:
            progress.set_total(path.stat().st_size)
            with zipfile.ZipFile(path) as archive, archive.open(xml_members[0]) as raw:
                yield from xml_fiches(raw, progress)
            return
        yield from csv_fiches(path, progress)
        return
    check_not_binary(start, LABEL)
    if not start.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        raise ImportFileError(
            f"ce fichier n'est pas un {LABEL} (zip CSV ou XML attendu)."
        )
    progress.set_total(path.stat().st_size)
    with path.open("rb") as raw:
        yield from xml_fiches(open_csv_text(raw, progress), progress)


def persist(values: dict, blocks: list[Block], existing, report) -> None:
    certification = existing.get(values["rncp_code"])
    if certification is None:
        certification = Certification(source=SOURCE, source_licence=LICENCE, **values)
        certification.save()
        existing[values["rncp_code"]] = certification
        report.created += 1
        current = []
    else:
        current = list(certification.skill_blocks.order_by("order", "pk"))
        same = all(getattr(certification, k) == v for k, v in values.items())
        if same and not certification.is_demo and not _blocks_changed(current, blocks):
            report.unchanged += 1
            return
        for key, value in values.items():
            setattr(certification, key, value)
        certification.is_demo = False
        if not certification.source:
            certification.source, certification.source_licence = SOURCE, LICENCE
        certification.save()
        report.updated += 1
    _update_blocks(certification, current, blocks)


def _pairs(current: list[SkillBlock], blocks: list[Block]):
    """Each incoming block with the stored one it replaces (None for a new one):
    same code, else same position among blocks without a code."""
    by_code = {block.code: block for block in current if block.code}
    uncoded = [block for block in current if not block.code]
    for order, block in enumerate(blocks):
        code = block.code[:20]
        if code:
            yield order, block, by_code.pop(code, None)
        else:
            yield order, block, uncoded.pop(0) if uncoded else None


def _new_values(order: int, block: Block, stored: SkillBlock | None) -> dict:
    values = {"code": block.code[:20], "title": block.title[:300], "order": order}
    # The CSV export has no skills: it leaves those of an earlier XML import.
    keep = stored is not None and not (block.skills or block.assessment)
    values["skills"] = stored.skills if keep else block.skills
    values["assessment"] = stored.assessment if keep else block.assessment
    return values


def _blocks_changed(current: list[SkillBlock], blocks: list[Block]) -> bool:
    if len(current) != len(blocks):
        return True
    for order, block, stored in _pairs(current, blocks):
        if stored is None:
            return True
        values = _new_values(order, block, stored)
        if any(getattr(stored, key) != value for key, value in values.items()):
            return True
    return False


def _update_blocks(certification, current: list[SkillBlock], blocks: list[Block]):
    kept, created = [], []
    for order, block, stored in _pairs(current, blocks):
        values = _new_values(order, block, stored)
        if stored is None:
            created.append(SkillBlock(certification=certification, **values))
            continue
        for key, value in values.items():
            setattr(stored, key, value)
        kept.append(stored)
    for block in [*kept, *created]:
        block.search_text = block.folded_text()
    kept_ids = {block.pk for block in kept}
    certification.skill_blocks.exclude(pk__in=kept_ids).delete()
    SkillBlock.objects.bulk_update(
        kept, ["code", "title", "order", "skills", "assessment", "search_text"]
    )
    SkillBlock.objects.bulk_create(created)


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    profile = SectorProfile.load()
    sector, sector_rome = Sector(profile), set(profile.rome_code_list)
    existing = {
        c.rncp_code: c
        for c in Certification.objects.exclude(rncp_code="").order_by("pk")
    }
    per_number: defaultdict[str, int] = defaultdict(int)
    for line, fiche in fiches_of(path, progress):
        report.rows_read += 1
        per_number[fiche.number] += 1
        if per_number[fiche.number] > 1:
            report.skip(line, "fiche en double dans le fichier")
            continue
        try:
            values = map_fiche(fiche, sector, sector_rome)
        except SkippedRow as skipped:
            report.skip(line, skipped.reason)
            continue
        persist(values, fiche.blocks, existing, report)
    progress.finish()
