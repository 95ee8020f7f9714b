"""Urssaf: employer establishments and salaried headcount, by commune × APE.

Source: open.urssaf.fr, dataset "etablissements-et-effectifs-salaries-au-niveau-
commune-x-ape-last", private sector, yearly, Licence Ouverte 2.0. Format: CSV,
UTF-8 with a BOM, `;` separator, CRLF, values quoted only when they hold a `;`.
Quirks:
- the table is wide: 19 descriptive columns, then one pair of columns per year
  (`Nombre d'établissements 2006;Effectifs salariés 2006;…`), one more pair each
  year; years are read from the headers, never from positions;
- the same file exists with technical names (`code_commune`, `code_ape`,
  `nombre_d_etablissements_2022`, `effectifs_salaries_2022`);
- APE codes have no dot (`1512Z`) where Sirene and the sector profile write
  `15.12Z`;
- an empty cell means no figure that year (not zero), so it is not stored;
  headcounts are yearly averages.

Rows of the sector's NAF codes in the campus's départements are unpivoted into
one `observatory.Indicator` per indicator, APE code, commune and year, upserted
on that key.
"""

import csv
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    Selection,
    SkippedRow,
    check_not_binary,
    check_width,
    normalise_naf,
    open_csv_text,
    read_header,
)
from campus.opendata.progress import ProgressTracker

SOURCE = "Urssaf, établissements et effectifs salariés par commune × APE"
LICENCE = "Licence Ouverte 2.0"
LABEL = "Urssaf « établissements et effectifs salariés par commune × APE »"
# Two header vintages: labels, and the technical names of the API.
LAYOUTS = [
    {"commune": "Code commune", "ape": "Code APE"},
    {"commune": "code_commune", "ape": "code_ape"},
]
YEAR_COLUMNS = [
    (IndicatorKey.ESTABLISHMENTS, re.compile(r"^Nombre d['’]établissements (\d{4})$")),
    (IndicatorKey.SALARIED_HEADCOUNT, re.compile(r"^Effectifs salariés (\d{4})$")),
    (IndicatorKey.ESTABLISHMENTS, re.compile(r"^nombre_d_etablissements_(\d{4})$")),
    (IndicatorKey.SALARIED_HEADCOUNT, re.compile(r"^effectifs_salaries_(\d{4})$")),
]


def year_columns(columns: dict[str, int]) -> list[tuple[str, int, str, int]]:
    """(indicator key, year, column name, position) of every yearly column."""
    found = []
    for name, index in columns.items():
        for key, pattern in YEAR_COLUMNS:
            match = pattern.match(name)
            if match:
                found.append((key, int(match.group(1)), name, index))
    return sorted(found, key=lambda item: (item[1], item[0]))


def _number(value: str, line: int, column: str) -> Decimal | None:
    value = value.strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise ImportFileError(
            f"« {value} » n'est pas un nombre positif.", line=line, column=column
        )
    return number


def map_row(
    row: list[str],
    width: int,
    line: int,
    layout: dict[str, int],
    years: list[tuple[str, int, str, int]],
    selection: Selection,
) -> tuple[str, str, list[tuple[str, int, Decimal]]]:
    """(APE code, commune code, yearly figures) of one row, or SkippedRow."""
    check_width(row, width, line)
    naf = normalise_naf(row[layout["ape"]])
    if naf not in selection.naf_codes:
        raise SkippedRow("activité hors de la filière")
    commune = row[layout["commune"]].strip()
    if len(commune) != 5:
        raise ImportFileError(
            f"« {commune} » n'est pas un code de commune INSEE.",
            line=line,
            column=layout["commune_name"],
        )
    if not selection.in_region(commune):
        raise SkippedRow("hors des départements du campus")
    figures = []
    for key, year, column, index in years:
        value = _number(row[index], line, column)
        if value is not None:
            figures.append((key, year, value))
    return naf, commune, figures


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    selection = Selection.from_profiles()
    progress.set_total(path.stat().st_size)
    figures: dict[tuple[str, str, str, int], Decimal] = {}
    seen: set[tuple[str, str]] = set()
    with path.open("rb") as raw:
        check_not_binary(raw.read(4096), LABEL)
        raw.seek(0)
        reader = csv.reader(open_csv_text(raw, progress), delimiter=";", strict=True)
        columns = read_header(reader, [], LABEL)
        layout = next(
            (
                {
                    "commune": columns[names["commune"]],
                    "ape": columns[names["ape"]],
                    "commune_name": names["commune"],
                }
                for names in LAYOUTS
                if names["commune"] in columns and names["ape"] in columns
            ),
            None,
        )
        years = year_columns(columns)
        if layout is None or not years:
            raise ImportFileError(
                f"ce fichier n'est pas un fichier {LABEL} : il faut les colonnes "
                "« Code commune », « Code APE » et au moins une année "
                "(« Nombre d'établissements 2022 »…).",
                line=1,
            )
        line = 2
        try:
            for row in reader:
                if not row:
                    line = reader.line_num + 1
                    continue
                report.rows_read += 1
                try:
                    naf, commune, yearly = map_row(
                        row, len(columns), line, layout, years, selection
                    )
                    if (naf, commune) in seen:
                        raise SkippedRow("ligne en double (même commune et même APE)")
                except SkippedRow as skipped:
                    report.skip(line, skipped.reason)
                    line = reader.line_num + 1
                    continue
                seen.add((naf, commune))
                for key, year, value in yearly:
                    figures[(key, naf, commune, year)] = value
                line = reader.line_num + 1
        except csv.Error as error:
            raise ImportFileError(
                "guillemet jamais fermé : le fichier semble tronqué.", line=line
            ) from error
    _persist(figures, report, selection)


def _persist(
    figures: dict[tuple[str, str, str, int], Decimal],
    report: ImportReport,
    selection: Selection,
) -> None:
    existing = {
        (i.key, i.naf_code, i.territory_code, i.year): i
        for i in Indicator.objects.filter(
            territory_level=TerritoryLevel.COMMUNE,
            naf_code__in=selection.naf_codes,
            source=SOURCE,
        ).order_by("pk")
    }
    new, changed = [], []
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (key, naf, commune, year), value in figures.items():
        totals[year][key] += value
        indicator = existing.get((key, naf, commune, year))
        if indicator is None:
            new.append(
                Indicator(
                    key=key,
                    naf_code=naf,
                    territory_level=TerritoryLevel.COMMUNE,
                    territory_code=commune,
                    year=year,
                    value=value,
                    source=SOURCE,
                    source_licence=LICENCE,
                )
            )
        elif indicator.value != value:
            indicator.value = value
            changed.append(indicator)
        else:
            report.unchanged += 1
    Indicator.objects.bulk_create(new, batch_size=1000)
    Indicator.objects.bulk_update(changed, ["value"], batch_size=1000)
    report.created += len(new)
    report.updated += len(changed)
    report.summary = {
        "title": "Totaux des départements du campus, pour les codes de la filière",
        "columns": ["Année", "Établissements employeurs", "Effectifs salariés"],
        "rows": [
            [
                year,
                _display(totals[year][IndicatorKey.ESTABLISHMENTS]),
                _display(totals[year][IndicatorKey.SALARIED_HEADCOUNT]),
            ]
            for year in sorted(totals)
        ],
    }


def _display(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")
