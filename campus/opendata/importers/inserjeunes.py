"""InserJeunes (DEPP, DARES): what became of each CFA's apprentices.

Source: data.education.gouv.fr, dataset `fr-en-inserjeunes-cfa` ("InserJeunes -
Apprentissage par centre de formation d'apprentis"), Licence Ouverte 2.0.
Format: CSV, UTF-8 with a BOM, `;`, CRLF, `.` as decimal point, percentages
written 0–100 (`57.0`). Quirks:
- nothing is published for fewer than 20 leavers: the cell is empty, and Campus
  stores no value (shown as "non diffusé"), never 0;
- `Année` is a pooled cohort (`cumul 2023-2024`); `Région` is upper case without
  accents; `VA emploi 6 mois` (value added) may be negative; `num_ligne` is a
  float;
- the API and JSON use technical names (`uai`, `annee`, `taux_emploi_6_mois`…),
  read as well.
The file covers every CFA of France; the campus keeps the establishments of its
network (by UAI) and upserts one outcome per establishment and cohort.
"""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from campus.network.models import Organisation
from campus.network.validators import normalize_uai
from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    SkippedRow,
    check_not_binary,
    check_width,
    numbered_rows,
    open_csv_text,
    read_header,
)
from campus.opendata.progress import ProgressTracker
from campus.trainings.models import EstablishmentGroup, InsertionOutcome, Route

SOURCE = "InserJeunes (DEPP, DARES)"
LICENCE = "Licence Ouverte 2.0"
LABEL = "InserJeunes par CFA"
# field -> (label header, technical name)
COLUMNS = {
    "cohort": ("Année", "annee"),
    "uai": ("UAI", "uai"),
    "further_study_rate": ("Taux poursuite études", "taux_poursuite_etudes"),
    "employment_rate_6_months": ("Taux emploi 6 mois", "taux_emploi_6_mois"),
    "expected_employment_rate_6_months": (
        "Taux emploi 6 mois attendu",
        "taux_emploi_6_mois_attendu",
    ),
    "employment_value_added_6_months": ("VA emploi 6 mois", "va_emploi_6_mois"),
    "employment_rate_12_months": ("Taux emploi 12 mois", "taux_emploi_12_mois"),
    "employment_rate_24_months": ("Taux emploi 24 mois", "taux_emploi_24_mois"),
    "interrupted_contracts_rate": (
        "Part contrats apprentissage interrompus",
        "taux_contrats_interrompus",
    ),
    "further_study_share": (
        "DEVENIR Part poursuite études",
        "part_en_poursuite_d_etudes",
    ),
    "employment_share_6_months": (
        "DEVENIR Part en emploi 6 mois",
        "part_en_emploi_6_mois_apres_la_sortie",
    ),
    "other_situations_share": (
        "DEVENIR Part autre situation 6 mois",
        "part_des_autres_situations",
    ),
}


def layout_of(columns: dict[str, int]) -> dict[str, int]:
    """Position of each field, from whichever header vintage the file uses."""
    variant = 0 if "UAI" in columns else 1
    required = [COLUMNS["cohort"][variant], COLUMNS["uai"][variant]]
    missing = [name for name in required if name not in columns]
    if missing:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier {LABEL} : colonnes manquantes "
            + ", ".join(missing)
            + ".",
            line=1,
        )
    return {
        field: columns[names[variant]]
        for field, names in COLUMNS.items()
        if names[variant] in columns
    }


def rate(value: str, line: int, column: str, *, signed: bool = False):
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    low = Decimal(-100) if signed else Decimal(0)
    if number is None or not number.is_finite() or not low <= number <= 100:
        raise ImportFileError(
            f"« {value[:20]} » n'est pas un pourcentage.", line=line, column=column
        )
    return number.quantize(Decimal("0.1"))


def map_row(row, line, layout, header, schools) -> tuple[Organisation, dict]:
    uai = normalize_uai(row[layout["uai"]])
    school = schools.get(uai)
    if school is None:
        raise SkippedRow("établissement hors du réseau du campus")
    cohort = row[layout["cohort"]].strip()
    if not cohort:
        raise ImportFileError(
            "promotion vide.", line=line, column=header[layout["cohort"]]
        )
    values = {"cohort": cohort[:40], "establishment_group": EstablishmentGroup.CFA}
    for field in InsertionOutcome.RATES:
        if field in layout:
            values[field] = rate(
                row[layout[field]],
                line,
                header[layout[field]],
                signed=field == "employment_value_added_6_months",
            )
    return school, values


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    schools = {o.uai: o for o in Organisation.objects.exclude(uai="").order_by("pk")}
    existing = {
        (o.organisation_id, o.cohort): o
        for o in InsertionOutcome.objects.filter(
            certification=None, route=Route.APPRENTICESHIP
        ).order_by("pk")
    }
    seen = set()
    progress.set_total(path.stat().st_size)
    with path.open("rb") as raw:
        check_not_binary(raw.read(4096), LABEL)
        raw.seek(0)
        reader = csv.reader(open_csv_text(raw, progress), delimiter=";", strict=True)
        columns = read_header(reader, [], LABEL)
        layout = layout_of(columns)
        header = {index: name for name, index in columns.items()}
        for line, row in numbered_rows(reader, first_line=2):
            if not any(cell.strip() for cell in row):
                continue
            report.rows_read += 1
            check_width(row, len(columns), line)
            try:
                school, values = map_row(row, line, layout, header, schools)
            except SkippedRow as skipped:
                report.skip(line, skipped.reason)
                continue
            key = (school.pk, values["cohort"])
            if key in seen:
                report.skip(line, "établissement en double pour cette promotion")
                continue
            seen.add(key)
            _persist(school, values, existing.get(key), report)
    progress.finish()


def _persist(school, values, outcome, report) -> None:
    if outcome is None:
        InsertionOutcome.objects.create(
            organisation=school,
            route=Route.APPRENTICESHIP,
            source=SOURCE,
            source_licence=LICENCE,
            **values,
        )
        report.created += 1
        return
    if all(getattr(outcome, field) == value for field, value in values.items()):
        report.unchanged += 1
        return
    for field, value in values.items():
        setattr(outcome, field, value)
    outcome.save()
    report.updated += 1
