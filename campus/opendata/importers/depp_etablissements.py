"""InserJeunes per establishment (DEPP): the files of vocational lycées and of CFAs.

Source: DEPP, ministère de l'Éducation nationale, « InserJeunes » per-establishment
files of a millésime (`depp-…-2022_2023-pro.csv` for the lycées' voie
professionnelle, `…-2022_2023-apprentissage.csv` for the CFAs), Licence Ouverte 2.0.
Format: CSV, UTF-8 (a BOM is accepted), `;`, CRLF, no quoting, integer
percentages. Quirks:
- the lycées' file has up to three rows per UAI, told apart by « Dont apprentis en
  EPLE »: `ensemble` (all leavers), `dont élèves en voie pro sco` (school route),
  `dont apprentis` (apprentices of the lycée); the CFAs' file has no such column
  (one row per CFA, all apprentices) and three labels ending with a space: columns
  are found by their label folded (case, accents, spaces, « n° »);
- « Taux » is the employment rate 6 months after leaving; « Taux attendu » and
  « Valeur ajoutée » (which may be negative) relate to it;
- a withheld value (fewer than 20 leavers) is the literal `nd`: Campus stores no
  value, shown « non diffusé (moins de 20 sortants) », never 0;
- the file has no year column: the millésime comes from the file name as the DEPP
  names it (`2022_2023`, two pooled cohorts, stored as « cumul 2022-2023 » like
  the open-data CFA file), or from the `millesime` option
  (`import_data depp_etablissements FILE --millesime 2022-2023`);
- older releases (2018-2019) leave four header labels empty: they are refused,
  the missing columns named.
The campus keeps the establishments of its network (by UAI) and upserts one
outcome per establishment, route and millésime. From every row of the campus's
régions, network or not, it also stores each rate's regional mean
(`InsertionAverage`): unweighted, over the diffused rates, withheld ones counted.
"""

import csv
import re
import unicodedata
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from campus.network.models import Organisation
from campus.network.validators import normalize_uai
from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    campus_departements,
    check_not_binary,
    check_width,
    numbered_rows,
    open_csv_text,
    read_header,
)
from campus.opendata.progress import ProgressTracker
from campus.places.models import Region
from campus.trainings.models import (
    ALL_ROUTES,
    EstablishmentGroup,
    InsertionAverage,
    InsertionOutcome,
    Route,
)

SOURCE = "InserJeunes par établissement (DEPP)"
LICENCE = "Licence Ouverte 2.0"
LABEL = "InserJeunes par établissement de la DEPP"
WITHHELD = "nd"
# field -> the labels it has had, folded (see `fold`).
COLUMNS = {
    "uai": ["n uai de l etablissement", "uai"],
    "region": ["region"],
    "population": ["dont apprentis en eple"],
    "further_study_rate": ["taux de poursuite d etudes"],
    "employment_rate_6_months": [
        "taux",
        "taux d emploi 6 mois",
        "taux d emploi 6 mois apres la sortie",
    ],
    "expected_employment_rate_6_months": ["taux attendu"],
    "employment_value_added_6_months": ["valeur ajoutee"],
    "further_study_share": ["part en poursuite d etudes"],
    "employment_share_6_months": ["part en emploi 6 mois apres la sortie"],
    "other_situations_share": ["part des autres situations"],
}
REQUIRED = {
    "uai": "n°UAI de l'établissement",
    "region": "Région",
    "employment_rate_6_months": "Taux",
}
RATES = [field for field in COLUMNS if field in InsertionOutcome.RATES]
POPULATIONS = {
    "ensemble": ALL_ROUTES,
    "dont eleves en voie pro sco": Route.SCHOOL,
    "dont apprentis": Route.APPRENTICESHIP,
}
# Two adjacent years, as in `depp-2022-etablissements-2022_2023-pro.csv`.
MILLESIME = re.compile(r"(?<!\d)(20\d\d)[_-](20\d\d)(?!\d)")
CENT = Decimal("0.01")


def fold(label: str) -> str:
    """A label without case, accents nor punctuation: « n°UAI de l'établissement »
    and « N° UAI de l’etablissement » are both `n uai de l etablissement`."""
    text = unicodedata.normalize("NFKD", label.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


def cohort_of(path: Path, millesime: str | None) -> str:
    """« cumul 2022-2023 », from the option when given, else from the file name."""
    if millesime:
        found = [MILLESIME.fullmatch(millesime.strip())]
        where = f"le millésime « {millesime[:20]} »"
    else:
        found = list({m.groups(): m for m in MILLESIME.finditer(path.name)}.values())
        where = "le nom du fichier"
    years = [tuple(int(y) for y in m.groups()) for m in found if m]
    if len(years) != 1 or years[0][1] != years[0][0] + 1:
        raise ImportFileError(
            f"{where} ne donne pas un millésime : il faut deux années qui se "
            "suivent, comme « 2022_2023 » dans les fichiers de la DEPP. Le fichier "
            "n'a pas de colonne d'année : renommez-le comme il a été publié, ou "
            "donnez le millésime (--millesime 2022-2023)."
        )
    first, second = years[0]
    return f"cumul {first}-{second}"


def layout_of(header: dict[str, int]) -> dict[str, int]:
    """Position of each field, found by its folded label."""
    folded = {fold(name): index for name, index in header.items()}
    layout = {}
    for field, labels in COLUMNS.items():
        for label in labels:
            if label in folded:
                layout[field] = folded[label]
                break
    missing = [name for field, name in REQUIRED.items() if field not in layout]
    if missing:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier {LABEL} : colonnes manquantes "
            + ", ".join(f"« {name} »" for name in missing)
            + ".",
            line=1,
        )
    return layout


def rate(value: str, line: int, column: str, *, signed: bool = False):
    """A percentage, or None when withheld (`nd`, or an empty cell)."""
    value = value.strip()
    if not value or value.lower() == WITHHELD:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = None
    low = Decimal(-100) if signed else Decimal(0)
    if number is None or not number.is_finite() or not low <= number <= 100:
        kind = "une valeur ajoutée (de -100 à 100)" if signed else "un pourcentage"
        raise ImportFileError(
            f"« {value[:20]} » n'est pas {kind} ni « nd ».", line=line, column=column
        )
    return number.quantize(Decimal("0.1"))


def map_row(row, line, layout, header) -> tuple[str, str, str, dict]:
    """(UAI, folded région, route, rates) of one row."""
    uai = normalize_uai(row[layout["uai"]])
    if not uai:
        raise ImportFileError("UAI vide.", line=line, column=header[layout["uai"]])
    route = Route.APPRENTICESHIP
    if "population" in layout:
        population = fold(row[layout["population"]])
        if population not in POPULATIONS:
            raise ImportFileError(
                f"« {row[layout['population']][:40]} » n'est pas « ensemble », « dont "
                "élèves en voie pro sco » ni « dont apprentis ».",
                line=line,
                column=header[layout["population"]],
            )
        route = POPULATIONS[population]
    values = {
        field: rate(
            row[layout[field]],
            line,
            header[layout[field]],
            signed=field == "employment_value_added_6_months",
        )
        for field in RATES
        if field in layout
    }
    return uai, fold(row[layout["region"]]), route, values


def import_file(
    path: Path,
    *,
    report: ImportReport,
    progress: ProgressTracker,
    millesime: str | None = None,
) -> None:
    cohort = cohort_of(path, millesime)
    schools = {o.uai: o for o in Organisation.objects.exclude(uai="").order_by("pk")}
    regions = {
        fold(region.name): region
        for region in Region.objects.filter(
            departements__code__in=campus_departements()
        ).distinct()
    }
    progress.set_total(path.stat().st_size)
    with path.open("rb") as raw:
        check_not_binary(raw.read(4096), LABEL)
        raw.seek(0)
        reader = csv.reader(open_csv_text(raw, progress), delimiter=";", strict=True)
        columns = read_header(reader, [], LABEL)
        layout = layout_of(columns)
        header = {index: name for name, index in columns.items()}
        group = (
            EstablishmentGroup.LYCEES
            if "population" in layout
            else EstablishmentGroup.CFA
        )
        kept, in_region = {}, defaultdict(list)
        seen = set()
        for line, row in numbered_rows(reader, first_line=2):
            if not any(cell.strip() for cell in row):
                continue
            report.rows_read += 1
            check_width(row, len(columns), line)
            uai, region, route, values = map_row(row, line, layout, header)
            if (uai, route) in seen:
                report.skip(line, "établissement en double pour cette population")
                continue
            seen.add((uai, route))
            if region in regions:
                in_region[regions[region], route].append(values)
            if uai not in schools:
                report.skip(line, "établissement hors du réseau du campus")
                continue
            kept[schools[uai], route] = values
    _persist_outcomes(kept, cohort, group, report)
    _persist_averages(in_region, cohort, group, report)
    progress.finish()


def _persist_outcomes(kept, cohort, group, report) -> None:
    existing = {
        (o.organisation_id, o.route): o
        for o in InsertionOutcome.objects.filter(
            certification=None, cohort=cohort
        ).order_by("pk")
    }
    for (school, route), rates in kept.items():
        values = {
            **rates,
            "establishment_group": group,
            "source": SOURCE,
            "source_licence": LICENCE,
        }
        report.upsert(
            existing.get((school.pk, route)),
            values,
            InsertionOutcome,
            organisation=school,
            route=route,
            cohort=cohort,
        )


def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def _persist_averages(in_region, cohort, group, report) -> None:
    """Each rate's mean over the région's rows, withheld ones left out and counted.

    Averages are not counted in the report's created/updated (those count the
    outcomes): the summary lists them.
    """
    existing = {
        (a.region_id, a.route, a.indicator): a
        for a in InsertionAverage.objects.filter(
            establishment_group=group, cohort=cohort
        ).order_by("pk")
    }
    summary = []
    for (region, route), rows in sorted(
        in_region.items(), key=lambda item: (item[0][0].code, item[0][1])
    ):
        for indicator in RATES:
            if indicator not in rows[0]:
                continue
            diffused = [row[indicator] for row in rows if row[indicator] is not None]
            values = {
                "mean": mean(diffused),
                "diffused": len(diffused),
                "withheld": len(rows) - len(diffused),
                "source": SOURCE,
                "source_licence": LICENCE,
            }
            average = ImportReport().upsert(
                existing.get((region.pk, route, indicator)),
                values,
                InsertionAverage,
                region=region,
                establishment_group=group,
                route=route,
                cohort=cohort,
                indicator=indicator,
            )
            summary.append(
                [
                    region.name,
                    average.get_route_display(),
                    average.get_indicator_display(),
                    "—" if average.mean is None else f"{average.mean:.1f}",
                    average.diffused,
                    average.withheld,
                ]
            )
    report.summary = {
        "title": f"Moyennes régionales, {EstablishmentGroup(group).label}, {cohort}",
        "columns": [
            "Région",
            "Voie",
            "Indicateur",
            "Moyenne",
            "Établissements diffusés",
            "Non diffusés (moins de 20 sortants)",
        ],
        "rows": summary,
    }
