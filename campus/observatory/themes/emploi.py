"""Employment: Urssaf's salaried headcount and employer establishments of the sector.

Every figure reads the totals the Urssaf importer stores per APE code, territory
and year (communes, départements, the région, France), for the codes the sector
profile lists today; none sums communes into a larger territory. The communes'
ranking reads each commune's total over the sector's codes, stored by the import
and `refresh_observatory` (`urssaf.store_commune_totals`). A code or a
year with no row is absent from the file (no employer, or not published): it is
left out and named in a note, never shown as 0.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from campus.observatory import territories
from campus.observatory.definitions import Definition, define
from campus.observatory.figures import Column, Table, figure, french_number
from campus.observatory.models import (
    ActivityLabel,
    Indicator,
    IndicatorKey,
    TerritoryLevel,
)
from campus.opendata.importers import urssaf
from campus.opendata.importers.base import normalise_naf
from campus.opendata.models import ImportRun, ImportSource
from campus.places.models import Commune
from campus.profiles.models import SectorProfile

URSSAF_URL = (
    "https://open.urssaf.fr/explore/dataset/"
    "etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last/"
)
MISSING = (
    "Aucune donnée : importez le fichier Urssaf « établissements et effectifs "
    "salariés au niveau commune × APE » (Gestion › Imports)."
)

define(
    Definition(
        slug="effectifs-salaries",
        term="Effectifs salariés",
        counted="La moyenne annuelle des salariés des établissements employeurs du "
        "secteur privé dont l'activité principale (code APE) est un code NAF de la "
        "filière, là où l'établissement est situé.",
        source="Urssaf, établissements et effectifs salariés au niveau commune × APE",
        source_url=URSSAF_URL,
        licence=urssaf.LICENCE,
        millesime="Publication annuelle ; une colonne par année depuis 2006.",
        limits=[
            "Secteur privé seulement : ni la fonction publique, ni les "
            "indépendants, ni les apprentis des établissements publics.",
            "Un salarié compte là où est son établissement, pas là où il habite.",
            "Une entreprise dont l'activité principale est ailleurs (un groupe "
            "de luxe classé en commerce de gros) n'est pas comptée.",
            "Quand l'Urssaf ne publie pas l'effectif d'une commune (secret "
            "statistique), le total du département, de la région ou de la France "
            "ne le compte pas : c'est alors un minimum.",
        ],
        import_sources=(ImportSource.URSSAF,),
    )
)
define(
    Definition(
        slug="etablissements-employeurs",
        term="Établissements employeurs",
        counted="Le nombre d'établissements du secteur privé ayant eu au moins un "
        "salarié au cours de l'année, dont l'activité principale est un code NAF "
        "de la filière.",
        source="Urssaf, établissements et effectifs salariés au niveau commune × APE",
        source_url=URSSAF_URL,
        licence=urssaf.LICENCE,
        millesime="Publication annuelle ; une colonne par année depuis 2006.",
        limits=[
            "Un établissement sans salarié (artisan seul) n'est pas compté : "
            "voir « Établissements actifs » (Sirene).",
        ],
        import_sources=(ImportSource.URSSAF,),
    )
)


define(
    Definition(
        slug="part-de-la-france",
        term="Part de la France",
        counted="Les salariés (et les établissements employeurs) du territoire "
        "divisés par ceux de la France entière, pour les mêmes codes NAF de la "
        "filière et la même année, en pourcentage.",
        source="Urssaf, établissements et effectifs salariés au niveau commune × APE",
        source_url=URSSAF_URL,
        licence=urssaf.LICENCE,
        millesime="Publication annuelle ; une colonne par année depuis 2006.",
        limits=[
            "Le total de la France est la somme de toutes les lignes de la filière "
            "du fichier importé, dans tous les départements : un extrait du fichier "
            "(celui de la démonstration, par exemple) ne donne pas la France entière.",
            "Les effectifs non publiés (secret statistique) manquent au territoire "
            "comme à la France.",
        ],
        import_sources=(ImportSource.URSSAF,),
    )
)

HEADCOUNT, ESTABLISHMENTS = IndicatorKey.SALARIED_HEADCOUNT, IndicatorKey.ESTABLISHMENTS
TOP_COMMUNES = 20
# What a blank cell means in a table of totals: the file has no row there.
ABSENT = "aucune ligne"


def sector_codes() -> list[str]:
    """The sector profile's NAF codes, written as the importers store them."""
    return sorted({normalise_naf(code) for code in SectorProfile.load().naf_code_list})


def _urssaf_rows(level: str, codes: list[str] | None = None):
    # Naming the keys lets the database use the index that starts with them.
    return Indicator.objects.filter(
        key__in=[HEADCOUNT, ESTABLISHMENTS],
        source=urssaf.SOURCE,
        breakdown="",
        territory_level=level,
        naf_code__in=sector_codes() if codes is None else codes,
    )


def _of(territory):
    """The stored totals of this territory (its own level and code)."""
    return _urssaf_rows(territory.level).filter(territory_code=territory.code)


def _empty(territory) -> str:
    """Which import is missing, or that the imported file has nothing here."""
    if not Indicator.objects.filter(source=urssaf.SOURCE).exists():
        return MISSING
    codes = ", ".join(sector_codes()) or "aucun"
    last_run = ImportRun.objects.last_success([ImportSource.URSSAF])
    last_file = last_run.file_name if last_run else None
    return (
        "Le fichier Urssaf importé"
        + (f" (« {last_file} »)" if last_file else "")
        + " ne compte aucun salarié ni établissement employeur de la filière pour "
        f"{territory.label} (codes NAF de la filière : {codes})."
    )


def _plain(value: Decimal | None) -> int | Decimal | None:
    """A count as an integer: the downloads then read `48`, not `48.00` (PostgreSQL
    returns the column's two decimals, SQLite none)."""
    if value is None or value != value.to_integral_value():
        return value
    return int(value)


def _by_year(rows) -> dict[int, dict[str, Decimal]]:
    totals: dict[int, dict[str, Decimal]] = {}
    for row in rows.values("year", "key").annotate(total=Sum("value")).order_by():
        totals.setdefault(row["year"], {})[row["key"]] = _plain(row["total"])
    return totals


def _latest_year(rows) -> int | None:
    return rows.order_by("-year").values_list("year", flat=True).first()


def _period(years) -> str:
    years = sorted(years)
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _by_headcount(item) -> tuple:
    """Largest headcount first, then most establishments; withheld ones last."""
    _, headcount, establishments = item
    return (headcount is None, -(headcount or 0), -(establishments or 0))


COUNT_COLUMNS = [
    Column("Salariés", "salariés"),
    Column("Établissements employeurs", "établissements"),
]


@figure(
    "emploi",
    "evolution",
    "Salariés et établissements employeurs par année",
    definition="effectifs-salaries",
    covers_france=True,
)
def evolution(territory, campus):
    totals = _by_year(_of(territory))
    years = sorted(totals)
    rows = [
        [year, totals[year].get(HEADCOUNT), totals[year].get(ESTABLISHMENTS)]
        for year in years
    ]
    summary = ""
    if rows:
        first, last = rows[0], rows[-1]
        summary = (
            f"{territory.label} : {french_number(last[1])} salariés dans "
            f"{french_number(last[2])} établissements employeurs en {last[0]}"
            + (
                f", contre {french_number(first[1])} salariés en {first[0]}."
                if len(rows) > 1
                else "."
            )
        )
    return Table(
        columns=[Column("Année", numeric=False), *COUNT_COLUMNS],
        rows=rows,
        source=urssaf.SOURCE,
        licence=urssaf.LICENCE,
        period=_period(years),
        summary=summary,
        chart="lines",
        empty=_empty(territory) if not rows else "",
    )


@figure(
    "emploi",
    "activites",
    "Salariés et établissements employeurs par code NAF",
    definition="effectifs-salaries",
    covers_france=True,
)
def by_activity(territory, campus):
    stored = _of(territory)
    year = _latest_year(stored)
    figures: dict[str, dict[str, Decimal]] = {}
    for row in stored.filter(year=year).values("naf_code", "key", "value").order_by():
        figures.setdefault(row["naf_code"], {})[row["key"]] = _plain(row["value"])
    labels = dict(
        ActivityLabel.objects.filter(naf_code__in=figures).values_list(
            "naf_code", "label"
        )
    )
    ranked = sorted(
        (
            (code, values.get(HEADCOUNT), values.get(ESTABLISHMENTS))
            for code, values in figures.items()
        ),
        key=_by_headcount,
    )
    rows = [
        [code, labels.get(code, ""), headcount, establishments]
        for code, headcount, establishments in ranked
    ]
    notes = []
    absent = [code for code in sector_codes() if code not in figures]
    if rows and absent:
        notes.append(
            f"Codes NAF de la filière sans ligne Urssaf en {year} pour ce "
            f"territoire : {', '.join(absent)}."
        )
    summary = ""
    if rows:
        code, label, headcount, _ = rows[0]
        summary = (
            f"{territory.label}, {year} : {len(rows)} code(s) NAF de la filière "
            f"comptent des établissements employeurs ; le premier par ses "
            f"salariés est {code}"
            + (f" ({label})" if label else "")
            + (f", avec {french_number(headcount)} salariés." if headcount else ".")
        )
    return Table(
        columns=[
            Column("Code NAF", numeric=False),
            Column("Activité", numeric=False),
            *COUNT_COLUMNS,
        ],
        rows=rows,
        source=urssaf.SOURCE,
        licence=urssaf.LICENCE,
        period=str(year) if year else "",
        summary=summary,
        chart_column=2,
        empty=_empty(territory) if not rows else "",
        notes=notes,
    )


@figure(
    "emploi",
    "departements",
    "Salariés et établissements employeurs par département de la région",
    definition="effectifs-salaries",
)
def by_departement(territory, campus):
    departements = territories.departements(campus)
    stored = _urssaf_rows(TerritoryLevel.DEPARTEMENT).filter(
        territory_code__in=[d.code for d in departements]
    )
    year = _latest_year(stored)
    totals: dict[str, dict[str, Decimal]] = {}
    for row in (
        stored.filter(year=year)
        .values("territory_code", "key")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        totals.setdefault(row["territory_code"], {})[row["key"]] = _plain(row["total"])
    present = [d for d in departements if d.code in totals]
    rows = [
        [d.label, totals[d.code].get(HEADCOUNT), totals[d.code].get(ESTABLISHMENTS)]
        for d in present
    ]
    absent = [d.label for d in departements if d.code not in totals]
    notes = (
        [f"Aucune ligne Urssaf de la filière en {year} pour : {', '.join(absent)}."]
        if rows and absent
        else []
    )
    summary = ""
    if rows:
        first = min(rows, key=lambda row: _by_headcount((None, *row[1:])))
        summary = (
            f"En {year}, {first[0]} compte le plus de salariés de la filière parmi "
            f"les départements de la région"
            + (f" : {french_number(first[1])}." if first[1] is not None else ".")
        )
    return Table(
        columns=[Column("Département", numeric=False), *COUNT_COLUMNS],
        rows=rows,
        source=urssaf.SOURCE,
        licence=urssaf.LICENCE,
        period=str(year) if year else "",
        summary=summary,
        empty=_empty(territories.region(campus)) if not rows else "",
        row_links=[f"?territoire={d.code}" for d in present],
        notes=notes,
        map_codes=[d.code for d in present],
    )


@figure(
    "emploi",
    "communes",
    "Communes qui comptent le plus de salariés de la filière",
    definition="effectifs-salaries",
)
def by_commune(territory, campus):
    scope = territories.communes_scope(territory)
    codes = territories.departement_codes(scope, campus)
    # The NAF code is compared with `=`, never `IN`, so that the partial index of
    # the rows without one serves: without it SQLite walks every code's rows.
    stored = Indicator.objects.filter(
        key__in=[HEADCOUNT, ESTABLISHMENTS],
        source=urssaf.SOURCE,
        breakdown="",
        territory_level=TerritoryLevel.COMMUNE,
        naf_code=urssaf.SECTOR_TOTAL,
    ).filter(territories.in_departements(codes))
    # The départements' totals know the same years, in a few rows.
    year = _latest_year(
        _urssaf_rows(TerritoryLevel.DEPARTEMENT).filter(territory_code__in=codes)
    )
    totals: dict[str, dict[str, Decimal]] = {}
    for code, key, value in (
        stored.filter(year=year)
        .values_list("territory_code", "key", "value")
        .order_by()
    ):
        totals.setdefault(code, {})[key] = _plain(value)
    ranked = sorted(
        (
            (code, values.get(HEADCOUNT), values.get(ESTABLISHMENTS))
            for code, values in totals.items()
        ),
        key=_by_headcount,
    )[:TOP_COMMUNES]
    names = dict(
        Commune.objects.filter(insee_code__in=[code for code, _, _ in ranked])
        .values_list("insee_code", "name")
        .order_by()
    )
    rows = [
        [f"{names.get(code, 'Commune')} ({code})", headcount, establishments]
        for code, headcount, establishments in ranked
    ]
    summary = ""
    if rows:
        summary = (
            f"{scope.label}, {year} : {len(totals)} commune(s) comptent au moins un "
            f"établissement employeur de la filière"
            + (
                f" ; les {len(rows)} qui comptent le plus de salariés sont listées."
                if len(totals) > len(rows)
                else "."
            )
        )
    notes = []
    if territory.level == TerritoryLevel.COMMUNE:
        notes.append(f"Communes du département de {territory.label}.")
    return Table(
        columns=[Column("Commune", numeric=False), *COUNT_COLUMNS],
        rows=rows,
        source=urssaf.SOURCE,
        licence=urssaf.LICENCE,
        period=str(year) if year else "",
        summary=summary,
        empty=_empty(scope) if not rows else "",
        row_links=[f"?territoire={code}" for code, _, _ in ranked],
        notes=notes,
        map_codes=[code for code, _, _ in ranked],
        unmapped="commune non listée" if len(totals) > len(rows) else "",
    )


def _share(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@figure(
    "emploi",
    "part-de-la-france",
    "Part de la France",
    definition="part-de-la-france",
)
def share_of_france(territory, campus):
    france = _by_year(_of(territories.france()))
    local = _by_year(_of(territory))
    years = sorted(france)
    rows = []
    for year in years:
        row = [year]
        for key in (HEADCOUNT, ESTABLISHMENTS):
            part = local.get(year, {}).get(key)
            whole = france[year].get(key)
            row += [part, whole, _share(part, whole)]
        rows.append(row)
    summary = ""
    if rows and local:
        last = rows[-1]
        summary = (
            f"En {last[0]}, {territory.label} compte "
            + (
                f"{french_number(last[3], '%')} des salariés de la filière en France "
                f"({french_number(last[1])} sur {french_number(last[2])})"
                if last[3] is not None
                else "aucune ligne Urssaf de la filière"
            )
            + "."
        )
    notes = []
    if rows:
        notes.append(
            f"« {ABSENT} » : le fichier importé n'a aucune ligne de la filière pour "
            "ce territoire et cette année."
        )
    return Table(
        columns=[
            Column("Année", numeric=False),
            Column("Salariés du territoire", "salariés"),
            Column("Salariés en France", "salariés"),
            Column("Part des salariés", "%"),
            Column("Établissements du territoire", "établissements"),
            Column("Établissements en France", "établissements"),
            Column("Part des établissements", "%"),
        ],
        rows=rows if local else [],
        source=urssaf.SOURCE,
        licence=urssaf.LICENCE,
        period=_period(years),
        summary=summary,
        chart_column=3,
        empty=(
            _empty(territory if france else territories.france()) if not local else ""
        ),
        withheld_label=ABSENT,
        notes=notes,
    )
