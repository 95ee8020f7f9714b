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
on that key. While the file streams, every row of the sector's codes, in any
département, is added to France's totals per APE code and year, so the région's
share of France needs no second file; the départements' and the région's totals
are stored too, so that pages read one row per code and year instead of summing
communes. Each commune's total of all the sector's codes is stored last (APE code
empty, see `store_commune_totals`), for the pages that rank communes. Each APE
code's label (`1512Z Fabrication d'articles…`) is kept for the observatory's
tables.
"""

import csv
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db.models import Sum

from campus.observatory.models import (
    ActivityLabel,
    Indicator,
    IndicatorKey,
    TerritoryLevel,
)
from campus.observatory.territories import FRANCE_CODE
from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    Selection,
    SkippedRow,
    check_not_binary,
    check_width,
    insert_rows,
    normalise_naf,
    open_csv_text,
    read_header,
)
from campus.opendata.progress import ProgressTracker
from campus.profiles.models import CampusProfile, SectorProfile

SOURCE = "Urssaf, établissements et effectifs salariés par commune × APE"
LICENCE = "Licence Ouverte 2.0"
LABEL = "Urssaf « établissements et effectifs salariés par commune × APE »"
# Two header vintages: labels, and the technical names of the API.
LAYOUTS = [
    {"commune": "Code commune", "ape": "Code APE", "label": "APE"},
    {"commune": "code_commune", "ape": "code_ape", "label": "ape"},
]
BATCH = 50_000
OUTSIDE = "hors des départements du campus (comptée dans le total de la France)"
# (indicator key, APE code, territory level, territory code, year)
FigureKey = tuple[str, str, str, str, int]
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
    """(APE code, commune code, yearly figures) of a row of the sector, in any
    département, or SkippedRow for another activity."""
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
    figures = []
    for key, year, column, index in years:
        value = _number(row[index], line, column)
        if value is not None:
            figures.append((key, year, value))
    return naf, commune, figures


def activity_label(cell: str, naf: str) -> str:
    """The label of `1512Z Fabrication d'articles…`, or "" when the cell has none."""
    code, _, label = cell.strip().partition(" ")
    if normalise_naf(code) != naf:
        return ""
    return label.strip()[: ActivityLabel._meta.get_field("label").max_length]


def departement_of(commune: str) -> str:
    return commune[:3] if commune.startswith("97") else commune[:2]


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    selection = Selection.from_profiles()
    progress.set_total(path.stat().st_size)
    # The communes' figures, then the larger territories' totals.
    figures: dict[FigureKey, Decimal] = {}
    national: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    labels: dict[str, str] = {}
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
                    "label": columns.get(names["label"]),
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
                    seen.add((naf, commune))
                    # France counts every row of the sector, kept or not.
                    for key, year, value in yearly:
                        national[(key, naf, year)] += value
                    if not labels.get(naf) and layout["label"] is not None:
                        labels[naf] = activity_label(row[layout["label"]], naf)
                    if not selection.in_region(commune):
                        raise SkippedRow(OUTSIDE)
                except SkippedRow as skipped:
                    report.skip(line, skipped.reason)
                    line = reader.line_num + 1
                    continue
                for key, year, value in yearly:
                    figures[(key, naf, TerritoryLevel.COMMUNE, commune, year)] = value
                line = reader.line_num + 1
        except csv.Error as error:
            raise ImportFileError(
                "guillemet jamais fermé : le fichier semble tronqué.", line=line
            ) from error
    _persist(add_totals(figures, national, region_code()), report, selection)
    store_commune_totals()
    _save_labels(labels)


def region_code() -> str:
    """The code the observatory gives the campus's région ("" when none is set)."""
    region = CampusProfile.load().region
    return region.code if region else ""


def add_totals(
    figures: dict[FigureKey, Decimal],
    national: dict[tuple[str, str, int], Decimal],
    region: str,
) -> dict[FigureKey, Decimal]:
    """Adds to the communes' figures the totals of their départements, of the
    région (the campus's départements) and of France, per APE code and year."""
    totals: dict[FigureKey, Decimal] = defaultdict(Decimal)
    for (key, naf, _, commune, year), value in figures.items():
        departement = departement_of(commune)
        totals[(key, naf, TerritoryLevel.DEPARTEMENT, departement, year)] += value
        totals[(key, naf, TerritoryLevel.REGION, region, year)] += value
    for (key, naf, year), value in national.items():
        totals[(key, naf, TerritoryLevel.FRANCE, FRANCE_CODE, year)] = value
    figures.update(totals)
    return figures


IDENTITY = ["key", "naf_code", "territory_level", "territory_code", "year"]
INSERTED = [*IDENTITY, "breakdown", "value", "source", "source_licence"]


def _persist(
    stored: dict[FigureKey, Decimal],
    report: ImportReport,
    selection: Selection,
) -> None:
    """Inserts the new figures and updates the changed ones, by their identity.

    A national file keeps hundreds of thousands of commune figures: the stored
    ones are read as plain tuples and the new ones written with `insert_rows`,
    never as model instances.
    """
    existing = {
        tuple(identity): (pk, value)
        for pk, value, *identity in Indicator.objects.filter(
            naf_code__in=selection.naf_codes, source=SOURCE, breakdown=""
        )
        .values_list("pk", "value", *IDENTITY)
        .order_by()
        .iterator(chunk_size=10000)
    }
    new, changed = [], []
    for figure, value in stored.items():
        known = existing.get(figure)
        if known is None:
            new.append((*figure, "", value, SOURCE, LICENCE))
        elif known[1] != value:
            changed.append(Indicator(pk=known[0], value=value))
        else:
            report.unchanged += 1
    fields = [Indicator._meta.get_field(name) for name in INSERTED]
    for start in range(0, len(new), BATCH):
        insert_rows(Indicator, fields, new[start : start + BATCH])
    Indicator.objects.bulk_update(changed, ["value"], batch_size=1000)
    report.created += len(new)
    report.updated += len(changed)
    report.summary = _summary(stored)


# The APE code of a commune's total over all the sector's codes.
SECTOR_TOTAL = ""


def store_commune_totals() -> int:
    """Stores each commune's total over the sector profile's codes, per indicator
    and year, from the stored commune rows; returns the rows written or deleted.

    Ranking a région's communes would otherwise sum its commune × code rows on
    each request (tens of thousands at national scale). The totals follow the
    profile's codes when they are computed: each import computes them, and so does
    `refresh_observatory`, nightly and after the profile's codes change. Rows that
    already hold the right value are left as they are, so that importing the same
    file twice changes nothing.
    """
    codes = {normalise_naf(code) for code in SectorProfile.load().naf_code_list}
    communes = Indicator.objects.filter(
        key__in=[IndicatorKey.ESTABLISHMENTS, IndicatorKey.SALARIED_HEADCOUNT],
        source=SOURCE,
        breakdown="",
        territory_level=TerritoryLevel.COMMUNE,
    )
    wanted = {
        (key, code, year): total
        for key, code, year, total in communes.filter(naf_code__in=codes)
        .values("key", "territory_code", "year")
        .annotate(total=Sum("value"))
        .values_list("key", "territory_code", "year", "total")
        .order_by()
    }
    existing = {
        (key, code, year): (pk, value)
        for pk, key, code, year, value in communes.filter(naf_code=SECTOR_TOTAL)
        .values_list("pk", "key", "territory_code", "year", "value")
        .order_by()
    }
    new, changed = [], []
    for (key, code, year), total in wanted.items():
        known = existing.get((key, code, year))
        if known is None:
            new.append(
                (key, SECTOR_TOTAL, TerritoryLevel.COMMUNE, code, year)
                + ("", total, SOURCE, LICENCE)
            )
        elif known[1] != total:
            changed.append(Indicator(pk=known[0], value=total))
    obsolete = [pk for figure, (pk, _) in existing.items() if figure not in wanted]
    fields = [Indicator._meta.get_field(name) for name in INSERTED]
    for start in range(0, len(new), BATCH):
        insert_rows(Indicator, fields, new[start : start + BATCH])
    Indicator.objects.bulk_update(changed, ["value"], batch_size=1000)
    for start in range(0, len(obsolete), 1000):
        Indicator.objects.filter(pk__in=obsolete[start : start + 1000]).delete()
    return len(new) + len(changed) + len(obsolete)


def _summary(stored: dict[FigureKey, Decimal]) -> dict:
    totals: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for (key, _, level, _, year), value in stored.items():
        if level in (TerritoryLevel.REGION, TerritoryLevel.FRANCE):
            totals[(level, year, key)] += value
    years = sorted({year for _, year, _ in totals})
    return {
        "title": (
            "Totaux de la filière : départements du campus, et France (toutes les "
            "lignes du fichier)"
        ),
        "columns": [
            "Année",
            "Établissements employeurs",
            "Effectifs salariés",
            "Établissements employeurs (France)",
            "Effectifs salariés (France)",
        ],
        "rows": [
            [
                year,
                *(
                    _display(totals[(level, year, key)])
                    for level in (TerritoryLevel.REGION, TerritoryLevel.FRANCE)
                    for key in (
                        IndicatorKey.ESTABLISHMENTS,
                        IndicatorKey.SALARIED_HEADCOUNT,
                    )
                ),
            ]
            for year in years
        ],
    }


def _save_labels(labels: dict[str, str]) -> None:
    """Keeps each APE code's newest label; the labels are not counted as figures."""
    labels = {naf: label for naf, label in labels.items() if label}
    known = {
        activity.naf_code: activity
        for activity in ActivityLabel.objects.filter(naf_code__in=labels).order_by()
    }
    for naf, label in labels.items():
        activity = known.get(naf)
        if activity is None:
            ActivityLabel.objects.create(naf_code=naf, label=label, source=SOURCE)
        elif activity.label != label:
            activity.label, activity.source = label, SOURCE
            activity.save(update_fields=["label", "source"])


def _display(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")
