"""Key figures computed from the stored indicators, beside the typed ones.

A `KeyFigure` with an `indicator_key` names an indicator, NAF codes (the sector
profile's when empty), a territory (as in `?territoire=`) and a year (the latest
when empty). Its computed value is the sum of the matching `Indicator` rows:
the territory's own rows when a source stores them, else its communes' rows
(the Urssaf rows are stored per commune). The typed figure stays: the home page
shows both, and the back-office flags them when they differ.

The computed value is stored on the key figure (`store_computed`), and the pages
read it (`stored`): a sum over the indicators costs a dozen queries per figure,
too much for the home page. It is stored again whenever an input moves: the
figure is saved, the sector or campus profile changes (signals.py), an import
succeeds (its rows, its date) and the aggregates are refreshed (after a catalogue
import, an outcome of an intervention, and nightly).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Max, Q, Sum

from campus.observatory import territories
from campus.observatory.aggregates import (
    OFFERINGS_SOURCE,
    school_year_label,
)
from campus.observatory.figures import french_number
from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    KeyFigure,
    TerritoryLevel,
)
from campus.opendata.importers import inserjeunes, sirene, urssaf
from campus.opendata.models import ImportRun, ImportSource
from campus.profiles.models import CampusProfile, SectorProfile, split_codes

# The indicators counted per NAF code; the others (trainings, outreach) have none.
NAF_KEYS = {
    IndicatorKey.ESTABLISHMENTS,
    IndicatorKey.SALARIED_HEADCOUNT,
    IndicatorKey.ACTIVE_ESTABLISHMENTS,
    IndicatorKey.CREATIONS,
    IndicatorKey.CLOSURES,
    IndicatorKey.CRAFT_ESTABLISHMENTS,
}
# Figures counted per school year say so (2025-2026), the others per calendar year.
SCHOOL_YEAR_KEYS = {
    IndicatorKey.OFFERINGS,
    IndicatorKey.INTERVENTIONS,
    IndicatorKey.PUPILS_REACHED,
    IndicatorKey.CLASSES_REACHED,
}
# Which imports date an indicator's source; none for the campus's own records.
IMPORTS_OF_SOURCE = {
    urssaf.SOURCE: (ImportSource.URSSAF,),
    sirene.SOURCE: (ImportSource.SIRENE,),
    inserjeunes.SOURCE: (ImportSource.INSERJEUNES,),
    OFFERINGS_SOURCE: (
        ImportSource.ONISEP_ACTIONS,
        ImportSource.ONISEP_FORMATIONS,
        ImportSource.LHEO,
    ),
}


@dataclass(frozen=True)
class ComputedFigure:
    value: Decimal
    year: int
    period: str
    territory: str
    source: str
    licence: str
    imported_at: datetime | None

    @property
    def display_value(self) -> str:
        return french_number(self.value)


def _rows(key_figure: KeyFigure, territory, campus):
    rows = Indicator.objects.filter(key=key_figure.indicator_key)
    if key_figure.indicator_key in NAF_KEYS:
        codes = split_codes(key_figure.indicator_naf_codes) or (
            SectorProfile.load().naf_code_list
        )
        rows = rows.filter(naf_code__in=codes)
    else:
        rows = rows.filter(naf_code="")
    own = rows.filter(territory_level=territory.level, territory_code=territory.code)
    if territory.level in (TerritoryLevel.COMMUNE, TerritoryLevel.FRANCE):
        return own
    if own.exists():
        return own
    communes = Q()
    for code in territories.departement_codes(territory, campus):
        communes |= Q(territory_code__startswith=code)
    return rows.filter(communes, territory_level=TerritoryLevel.COMMUNE)


def last_import(source: str) -> datetime | None:
    run = ImportRun.objects.last_success(IMPORTS_OF_SOURCE.get(source, ()))
    return run.finished_at if run else None


def compute(key_figure: KeyFigure, campus: CampusProfile) -> ComputedFigure | None:
    """The figure computed from the indicators, or None when it has no spec or
    nothing is stored for it."""
    if not key_figure.indicator_key:
        return None
    try:
        territory = territories.from_parameter(key_figure.indicator_territory, campus)
    except territories.TerritoryError:
        return None
    rows = _rows(key_figure, territory, campus)
    year = key_figure.indicator_year or rows.aggregate(year=Max("year"))["year"]
    if year is None:
        return None
    rows = rows.filter(year=year)
    # A source that stores a total beside its breakdown (size bands) is read by
    # its total; one that stores only the breakdown (level and route) is summed.
    if rows.filter(breakdown="").exists():
        rows = rows.filter(breakdown="")
    total = rows.aggregate(total=Sum("value"))["total"]
    if total is None:
        return None
    source, licence = (
        rows.order_by("source").values_list("source", "source_licence").first()
    )
    return ComputedFigure(
        value=total,
        year=year,
        period=(
            school_year_label(year)
            if key_figure.indicator_key in SCHOOL_YEAR_KEYS
            else str(year)
        ),
        territory=territory.label,
        source=source,
        licence=licence,
        imported_at=last_import(source),
    )


def differs(key_figure: KeyFigure, computed: ComputedFigure | None) -> bool:
    return (
        computed is not None
        and key_figure.value is not None
        and computed.value != key_figure.value
    )


# The columns `store_computed` writes.
COMPUTED_FIELDS = [
    "computed_value",
    "computed_year",
    "computed_period",
    "computed_territory",
    "computed_source",
    "computed_licence",
    "computed_imported_at",
]


def store_computed(key_figure: KeyFigure, campus: CampusProfile) -> None:
    """Sets the figure's stored computed value from `compute()`; the caller saves."""
    computed = compute(key_figure, campus)
    key_figure.computed_value = computed.value if computed else None
    key_figure.computed_year = computed.year if computed else None
    key_figure.computed_period = computed.period if computed else ""
    key_figure.computed_territory = computed.territory if computed else ""
    key_figure.computed_source = computed.source if computed else ""
    key_figure.computed_licence = computed.licence if computed else ""
    key_figure.computed_imported_at = computed.imported_at if computed else None


def refresh_key_figures(campus: CampusProfile | None = None) -> int:
    """Stores again the computed value of every key figure that has one to
    compute; returns how many changed."""
    campus = campus or CampusProfile.load()
    changed = []
    for key_figure in KeyFigure.objects.exclude(indicator_key=""):
        before = [getattr(key_figure, name) for name in COMPUTED_FIELDS]
        store_computed(key_figure, campus)
        if [getattr(key_figure, name) for name in COMPUTED_FIELDS] != before:
            changed.append(key_figure)
    KeyFigure.objects.bulk_update(changed, COMPUTED_FIELDS)
    return len(changed)


def stored(key_figure: KeyFigure) -> ComputedFigure | None:
    """The computed value as `store_computed` left it, or None."""
    if key_figure.computed_value is None:
        return None
    return ComputedFigure(
        value=key_figure.computed_value,
        year=key_figure.computed_year,
        period=key_figure.computed_period,
        territory=key_figure.computed_territory,
        source=key_figure.computed_source,
        licence=key_figure.computed_licence,
        imported_at=key_figure.computed_imported_at,
    )


def with_computed(key_figures, *, shown_only: bool = False) -> list[dict]:
    """Each key figure with its stored computed value and whether the two differ;
    `shown_only` leaves out a computed-only figure with nothing computed yet."""
    items = []
    for key_figure in key_figures:
        computed = stored(key_figure)
        if shown_only and computed is None and key_figure.value is None:
            continue
        items.append(
            {
                "figure": key_figure,
                "computed": computed,
                "differs": differs(key_figure, computed),
            }
        )
    return items
