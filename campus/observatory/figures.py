"""The observatory's figures: a registry of tables, each drawn, explained and downloadable.

A theme module in `campus/observatory/themes/` registers its figures:

    @figure("emploi", "effectifs-par-annee", "Effectifs salariés par année")
    def headcount_by_year(territory, campus):
        ...
        return Table(columns=[...], rows=[...], source=..., licence=..., ...)

The function gets the `Territory` of the address and the campus profile and returns
a `Table` read from stored aggregates (`Indicator` rows or small tables), never
from a scan of the imported records. The same table feeds the chart, the data
table, the text summary and the CSV and XLSX downloads, so they can't disagree.
A table with no rows says, in `empty`, which import is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from campus.observatory.territories import Territory
from campus.profiles.models import CampusProfile

WITHHELD = "non diffusé"


@dataclass(frozen=True)
class Column:
    label: str
    unit: str = ""
    # A numeric column is right-aligned, formatted in French and may be charted.
    numeric: bool = True


@dataclass
class Table:
    columns: list[Column]
    # One list per row, one value per column; None is a withheld or missing value,
    # shown as `withheld_label`, never as 0.
    rows: list[list]
    source: str
    licence: str
    # The millésime or years covered, always shown beside the figure.
    period: str
    summary: str = ""
    # The chart: "bars" (one bar per row of `chart_column`), "lines" (one line per
    # numeric column over the rows, for years), or "" for a table alone.
    chart: str = "bars"
    chart_column: int = 1
    # Which import to run when there is nothing to show.
    empty: str = ""
    withheld_label: str = WITHHELD
    # Optional address per row (for example the directory filtered the same way).
    row_links: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # One département code per row: the figure is also drawn as a map of the
    # région's départements (shaded by `chart_column`) over the shipped base layer.
    # One commune INSEE code per row: a map of the communes of their département.
    map_codes: list[str] = field(default_factory=list)
    # What an area of the map with no row is, when not « aucune donnée » (a figure
    # that lists the first twenty communes leaves the others out).
    unmapped: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Theme:
    slug: str
    title: str
    intro: str


THEMES = {
    theme.slug: theme
    for theme in [
        Theme(
            "emploi",
            "Emploi",
            "Les salariés et les établissements employeurs de la filière, par "
            "territoire et par année, et la part de la région dans la France.",
        ),
        Theme(
            "entreprises",
            "Entreprises",
            "Les établissements actifs de la filière, leur taille, les créations "
            "et les fermetures, et les établissements artisanaux.",
        ),
        Theme(
            "formation",
            "Formation",
            "Les formations de la filière par niveau, voie et département, la part "
            "de l'apprentissage et les certifications sans offre dans la région.",
        ),
        Theme(
            "insertion",
            "Insertion des jeunes",
            "Ce que deviennent les sortants des lycées professionnels et des CFA : "
            "emploi à six mois, poursuite d'études, valeur ajoutée.",
        ),
        Theme(
            "sensibilisation",
            "Sensibilisation",
            "Les interventions du campus dans les établissements scolaires, les "
            "élèves et les classes touchés, par année et par département.",
        ),
    ]
}


@dataclass(frozen=True)
class Figure:
    theme: str
    slug: str
    title: str
    # The glossary entry (`definitions.DEFINITIONS`) that says what is counted.
    definition: str
    build: Callable[[Territory, CampusProfile], Table]
    # False when the figure has no meaning for France as a whole (the imports keep
    # only the région's rows, and France's totals where a source gives them).
    covers_france: bool = False

    def table(self, territory: Territory, campus: CampusProfile) -> Table:
        if territory.is_france and not self.covers_france:
            return Table(
                columns=[],
                rows=[],
                source="",
                licence="",
                period="",
                empty="Ce chiffre n'existe qu'à l'échelle de la région et de ses "
                "territoires : les imports ne gardent que les lignes de la région.",
            )
        return self.build(territory, campus)


FIGURES: dict[tuple[str, str], Figure] = {}


def figure(
    theme: str,
    slug: str,
    title: str,
    *,
    definition: str,
    covers_france: bool = False,
):
    """Register a theme's figure under a stable address /observatoire/<theme>/<slug>/."""
    if theme not in THEMES:
        raise ValueError(f"unknown observatory theme {theme!r}")

    def register(build):
        key = (theme, slug)
        if key in FIGURES:
            raise ValueError(f"figure {key} registered twice")
        FIGURES[key] = Figure(theme, slug, title, definition, build, covers_france)
        return build

    return register


def figures_of(theme: str) -> list[Figure]:
    return [f for (t, _), f in FIGURES.items() if t == theme]


def french_number(value, unit: str = "") -> str:
    """12 345,5 with a narrow no-break space between thousands, as French writes it."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{value:,.1f}"
    text = text.replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0{unit}" if unit else text
