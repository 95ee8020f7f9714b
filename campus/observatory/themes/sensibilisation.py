"""Awareness: the campus's interventions in schools, the classes and pupils reached.

Read from the rows `aggregates.refresh_outreach` stores per school year, for the
région and each département (a school's département comes from its UAI code, or
else from its town).
"""

from campus.observatory.aggregates import (
    OUTREACH_LICENCE,
    OUTREACH_SOURCE,
    school_year_label,
)
from campus.observatory.definitions import Definition, define
from campus.observatory.figures import Column, Table, figure, french_number
from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.places.models import Departement

MISSING = (
    "Aucune intervention réalisée n'est enregistrée : l'équipe saisit le bilan de "
    "chaque intervention dans Gestion › Interventions."
)
COMMUNE_MESSAGE = (
    "Les interventions se comptent par département : choisissez la région ou un "
    "département."
)
KEYS = [
    IndicatorKey.INTERVENTIONS,
    IndicatorKey.CLASSES_REACHED,
    IndicatorKey.PUPILS_REACHED,
]
COLUMNS = [
    Column("Interventions", "interventions"),
    Column("Classes", "classes"),
    Column("Élèves", "élèves"),
]

define(
    Definition(
        slug="interventions-scolaires",
        term="Interventions en établissement scolaire",
        counted="Les interventions de professionnels de la filière devant des "
        "classes, demandées par les enseignants et réalisées avec le campus. Une "
        "intervention est la venue dans un établissement un jour donné ; elle "
        "peut toucher plusieurs classes. Les élèves comptés sont ceux que "
        "l'équipe a notés dans le bilan (à défaut, l'effectif de la classe "
        "annoncé par l'enseignant).",
        source=OUTREACH_SOURCE,
        source_url="",
        licence=OUTREACH_LICENCE,
        millesime="Année scolaire, de septembre à août ; recalculé après chaque "
        "bilan enregistré.",
        limits=[
            "Seules les interventions passées par le campus sont comptées, pas "
            "celles que les entreprises organisent seules.",
            "Le département d'un établissement vient de son code UAI, sinon de "
            "sa commune : une école dont la commune est mal écrite n'est comptée "
            "que dans la région.",
            "Aucune donnée personnelle : seuls des effectifs sont gardés.",
        ],
    )
)


def _empty(message: str) -> Table:
    return Table(columns=[], rows=[], source="", licence="", period="", empty=message)


@figure(
    "sensibilisation",
    "par-annee",
    "Interventions, classes et élèves sensibilisés par année scolaire",
    definition="interventions-scolaires",
)
def by_school_year(territory, campus):
    if territory.level == TerritoryLevel.COMMUNE:
        return _empty(COMMUNE_MESSAGE)
    level = (
        TerritoryLevel.DEPARTEMENT
        if territory.level == TerritoryLevel.DEPARTEMENT
        else TerritoryLevel.REGION
    )
    values = {}
    for key, year, value in (
        Indicator.objects.filter(
            key__in=KEYS, territory_level=level, territory_code=territory.code
        )
        .values_list("key", "year", "value")
        .order_by()
    ):
        values.setdefault(year, {})[key] = int(value)
    years = sorted(values)
    rows = [
        [school_year_label(year), *(values[year].get(key, 0) for key in KEYS)]
        for year in years
    ]
    summary = ""
    if rows:
        last = rows[-1]
        summary = (
            f"{territory.label} : {french_number(last[1])} interventions, "
            f"{french_number(last[2])} classes et {french_number(last[3])} élèves "
            f"sensibilisés en {last[0]}."
        )
    return Table(
        columns=[Column("Année scolaire", numeric=False), *COLUMNS],
        rows=rows,
        source=OUTREACH_SOURCE,
        licence=OUTREACH_LICENCE,
        period=(
            f"Années scolaires {rows[0][0]} à {rows[-1][0]}"
            if len(rows) > 1
            else f"Année scolaire {rows[0][0]}"
            if rows
            else ""
        ),
        summary=summary,
        # Bars of the pupils: on lines, the few interventions and classes would
        # lie flat along the axis under the pupils' scale.
        chart_column=3,
        empty=MISSING,
    )


@figure(
    "sensibilisation",
    "par-departement",
    "Interventions, classes et élèves sensibilisés par département",
    definition="interventions-scolaires",
)
def by_departement(territory, campus):
    if territory.level == TerritoryLevel.COMMUNE:
        return _empty(COMMUNE_MESSAGE)
    region_code = campus.region.code if campus.region else ""
    codes = (
        [territory.code]
        if territory.level == TerritoryLevel.DEPARTEMENT
        else list(campus.served_departements().values_list("code", flat=True))
    )
    stored = Indicator.objects.filter(key__in=KEYS)
    year = (
        stored.filter(territory_level=TerritoryLevel.REGION, territory_code=region_code)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is None:
        return _empty(MISSING)
    values: dict[tuple[str, str], dict] = {}
    for level, code, key, value in (
        stored.filter(year=year)
        .values_list("territory_level", "territory_code", "key", "value")
        .order_by()
    ):
        values.setdefault((level, code), {})[key] = int(value)
    names = dict(Departement.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    for code in sorted(codes):
        counts = values.get((TerritoryLevel.DEPARTEMENT, code))
        if counts:
            rows.append(
                [f"{names.get(code, code)} ({code})", *(counts[k] for k in KEYS)]
            )
    notes = []
    region = values.get((TerritoryLevel.REGION, region_code), {})
    if territory.level == TerritoryLevel.REGION and region:
        located = [sum(row[1 + i] for row in rows) for i in range(len(KEYS))]
        unlocated = [
            region[key] - done for key, done in zip(KEYS, located, strict=True)
        ]
        if any(unlocated):
            rows.append(["Département non identifié", *unlocated])
            notes.append(
                "« Département non identifié » : établissements sans code UAI dont "
                "la commune n'a pas été reconnue."
            )
    largest = max(rows, key=lambda row: row[3]) if rows else None
    return Table(
        columns=[Column("Département", numeric=False), *COLUMNS],
        rows=rows,
        source=OUTREACH_SOURCE,
        licence=OUTREACH_LICENCE,
        period=f"Année scolaire {school_year_label(year)}",
        summary=(
            f"En {school_year_label(year)}, {largest[0]} compte le plus d'élèves "
            f"sensibilisés : {french_number(largest[3])}."
            if largest
            else ""
        ),
        chart_column=3,
        empty=f"Aucune intervention réalisée dans ce territoire en "
        f"{school_year_label(year)}.",
        notes=notes,
    )
