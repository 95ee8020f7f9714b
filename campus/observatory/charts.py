"""Server-rendered SVG charts drawn from a figure's table.

The geometry is computed here and the markup written by
`observatory/partials/chart_*.html`: no script, nothing to load, and the chart
prints. Every chart sits beside its data table and text summary, so it is
`aria-hidden` with a visible title: the table is what assistive technologies read.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from campus.observatory.figures import Table, french_number

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 150
# Characters a label left of its bar holds at 15 px; longer ones go above the bar.
SHORT_LABEL = 16
LABEL_LINE = 24
# Room for the largest bar's value and its unit (« 1 234 établissements »).
VALUE_WIDTH = 150
CHART_WIDTH = 560
LINE_HEIGHT = 200
LINE_PADDING = 36
# The series colours are the design tokens --chart-1 to --chart-5 (campus.css).
SERIES_COUNT = 5


@dataclass
class Bar:
    label: str
    value_text: str
    y: int
    x: float
    width: float
    value_x: float
    # "end" for a negative value, written left of its bar.
    anchor: str = "start"


@dataclass
class Line:
    label: str
    # 0 to SERIES_COUNT - 1: the class chart__series-N gives its colour.
    series: int
    points: str
    dots: list[tuple[float, float]]
    # The largest value, written beside its point: the scale of this panel.
    top: str
    top_y: float


def _number(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    return None


def bars(table: Table) -> dict | None:
    """Horizontal bars of `chart_column`, one per row; None if nothing to draw.

    Short labels (years, codes) sit left of their bar; when one is longer than that
    space holds, every label goes on its own line above its bar, whole, so that
    « Lycée X — voie scolaire » and « Lycée X — apprentissage » stay apart.
    """
    column = table.columns[table.chart_column]
    values = [_number(row[table.chart_column]) for row in table.rows]
    present = [v for v in values if v is not None]
    low, high = min(0.0, *present, 0.0), max(0.0, *present, 0.0)
    if high == low:
        return None
    stacked = any(len(str(row[0])) > SHORT_LABEL for row in table.rows)
    label_width = 0 if stacked else LABEL_WIDTH
    bar_y = LABEL_LINE if stacked else 0
    row_height = bar_y + BAR_HEIGHT + BAR_GAP
    # Negative values (a value added) grow leftwards from a zero line, their value
    # written left of the bar: room is kept on both sides.
    left_room = VALUE_WIDTH if low < 0 else 0
    span = CHART_WIDTH - label_width - VALUE_WIDTH - left_room
    zero_x = label_width + left_room + span * -low / (high - low)
    items = []
    for index, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        width = 0 if value is None else span * abs(value) / (high - low)
        # With nothing above zero, the right of the zero line has no room for words.
        negative = (value is None and high == 0) or (value is not None and value < 0)
        x = zero_x - width if negative else zero_x
        items.append(
            Bar(
                label=str(row[0]),
                value_text=(
                    table.withheld_label
                    if value is None
                    else french_number(row[table.chart_column], column.unit)
                ),
                y=index * row_height,
                x=round(x, 1),
                width=round(width, 1),
                value_x=round(x - 6 if negative else x + width + 6, 1),
                anchor="end" if negative else "start",
            )
        )
    return {
        "kind": "bars",
        "items": items,
        "width": CHART_WIDTH,
        "height": len(items) * row_height,
        "label_width": label_width,
        "label_chars": 60 if stacked else 28,
        "bar_height": BAR_HEIGHT,
        "bar_y": bar_y,
        "label_y": BAR_HEIGHT // 2 + 5,
        "text_y": bar_y + BAR_HEIGHT // 2 + 5,
        "zero_x": round(zero_x, 1) if low < 0 else None,
    }


def lines(table: Table) -> dict | None:
    """One small line chart per numeric column over the rows (years across), each on
    its own scale: headcounts and establishment counts differ a hundredfold."""
    if len(table.rows) < 2:
        return None
    inner_w = CHART_WIDTH - 2 * LINE_PADDING
    inner_h = LINE_HEIGHT - 2 * LINE_PADDING
    step = inner_w / (len(table.rows) - 1)
    ticks = [
        (round(LINE_PADDING + position * step, 1), str(row[0]))
        for position, row in enumerate(table.rows)
    ]
    panels = []
    series = [
        (index, column)
        for index, column in enumerate(table.columns)
        if index and column.numeric
    ]
    for number, (index, column) in enumerate(series):
        values = [_number(row[index]) for row in table.rows]
        present = [v for v in values if v is not None]
        if not present:
            continue
        low, high = min(0.0, *present), max(present)
        if high == low:
            high = low + 1

        def y_of(value: float, low=low, high=high) -> float:
            return round(LINE_PADDING + inner_h * (1 - (value - low) / (high - low)), 1)

        dots = [
            (round(LINE_PADDING + position * step, 1), y_of(value))
            for position, value in enumerate(values)
            if value is not None
        ]
        panels.append(
            Line(
                label=f"{column.label} ({column.unit})"
                if column.unit
                else column.label,
                series=number % SERIES_COUNT,
                points=" ".join(f"{x},{y}" for x, y in dots),
                dots=dots,
                top=french_number(max(present)),
                top_y=y_of(max(present)),
            )
        )
    if not panels:
        return None
    return {
        "kind": "lines",
        "panels": panels,
        "width": CHART_WIDTH,
        "height": LINE_HEIGHT,
        "ticks": ticks,
        "axis_y": LINE_HEIGHT - LINE_PADDING,
        "label_y": LINE_HEIGHT - LINE_PADDING + 20,
        "left": LINE_PADDING,
        "right": CHART_WIDTH - LINE_PADDING,
    }


def chart_of(table: Table) -> dict | None:
    if table.is_empty or not table.columns:
        return None
    if table.chart == "bars":
        return bars(table)
    if table.chart == "lines":
        return lines(table)
    return None


MAP_WIDTH = 480
# An area the figure has no row for: nothing imported, or nothing counted.
NO_VALUE = "aucune donnée"
# Shades --map-1 (lightest) to --map-5 (darkest) of campus.css.
MAP_CLASSES = 5
COMMUNE_CODE_LENGTH = 5


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _path(rings, *, west: float, north: float, x_scale: float, y_scale: float) -> str:
    """SVG path data in whole pixels, each ring a move then relative lines: a
    département's communes in a few tens of kilobytes. Points that fall on the
    same pixel are merged, and a ring left with under three is dropped. One
    loop with no call per point: a département has some 20,000 of them."""
    parts = []
    for ring in rings:
        first = previous = None
        steps = []
        for lon, lat in ring:
            point = round((lon - west) * x_scale), round((north - lat) * y_scale)
            if point == previous:
                continue
            if previous is None:
                first = point
            else:
                steps.append(f"{point[0] - previous[0]} {point[1] - previous[1]}")
            previous = point
        # The closing point repeats the first: `z` draws that last line.
        if previous == first and steps:
            steps.pop()
        if len(steps) < 2:
            continue
        parts.append(f"M{first[0]} {first[1]}l{' '.join(steps)}z")
    return "".join(parts)


def by_commune(table: Table) -> bool:
    """Whether the figure's map codes are communes' INSEE codes (else départements)."""
    return bool(table.map_codes) and all(
        len(code) == COMMUNE_CODE_LENGTH for code in table.map_codes
    )


def _communes_of_one_departement(codes, communes: dict[str, list]) -> list:
    """The communes of the one département that holds the listed communes; none
    when they lie in several: a région's thousands of communes are too heavy for
    a page, and the table stands alone."""
    holding = [
        features
        for features in communes.values()
        if any(f["properties"]["code"] in codes for f in features)
    ]
    return holding[0] if len(holding) == 1 else []


# The outlines drawn so far in this process, by the features drawn: the layers are
# read once per process, and projecting a département's 20,000 points costs more
# than the rest of its page. The features are kept beside their drawing so that
# their ids, the key, are never reused.
_DRAWINGS: dict[tuple[int, ...], tuple[list, int, list[tuple[str, str]]]] = {}


def _drawn(features: list) -> tuple[int, list[tuple[str, str]]]:
    """The map's height and each feature's code and path, in whole pixels of a
    MAP_WIDTH-wide equirectangular projection of the features' extent."""
    key = tuple(id(feature) for feature in features)
    if key not in _DRAWINGS:
        points = [
            point
            for feature in features
            for ring in _rings(feature["geometry"])
            for point in ring
        ]
        west, east = min(p[0] for p in points), max(p[0] for p in points)
        south, north = min(p[1] for p in points), max(p[1] for p in points)
        squeeze = math.cos(math.radians((south + north) / 2))
        scale = MAP_WIDTH / ((east - west) * squeeze)
        outlines = []
        for feature in features:
            path = _path(
                _rings(feature["geometry"]),
                west=west,
                north=north,
                x_scale=squeeze * scale,
                y_scale=scale,
            )
            if path:
                outlines.append((feature["properties"]["code"], path))
        _DRAWINGS[key] = (features, round((north - south) * scale), outlines)
    _, height, outlines = _DRAWINGS[key]
    return height, outlines


def choropleth(table: Table, layer: dict, communes: dict | None = None) -> dict | None:
    """A map shaded by the figure's `chart_column`, in five equal steps from the
    smallest value to the largest; None without a base layer or codes.

    Département codes shade the région's départements (`layer`); INSEE commune
    codes shade the communes of their département (`communes`, département code
    → features). Drawn in an equirectangular projection, true to scale at the
    middle latitude: enough for a région, and nothing to install."""
    if not table.map_codes or table.is_empty:
        return None
    values = {
        code: _number(row[table.chart_column])
        for code, row in zip(table.map_codes, table.rows, strict=False)
    }
    per_commune = by_commune(table)
    if per_commune:
        features = _communes_of_one_departement(values, communes or {})
    else:
        features = [
            f
            for f in layer.get("features", [])
            if f["properties"].get("kind") == "departement"
        ]
    if not features:
        return None
    height, outlines = _drawn(features)
    present = [v for v in values.values() if v is not None]
    low, high = (min(present), max(present)) if present else (0.0, 0.0)
    # Counts over a short range (3 to 4 offerings) get a class per value, spread
    # over the shades, not five classes whose rounded bounds repeat (« 3, 3, 3 à 4 »).
    whole = all(float(v).is_integer() for v in present)
    classes = min(MAP_CLASSES, int(high - low) + 1) if whole else MAP_CLASSES

    def colour(step: int) -> int:
        return round(step * (MAP_CLASSES - 1) / (classes - 1)) if classes > 1 else step

    def shade(value):
        if value is None:
            return None
        if high == low:
            return MAP_CLASSES - 1
        return colour(min(classes - 1, int(classes * (value - low) / (high - low))))

    # One path per shade: the markup of a path per commune would weigh a third more.
    paths: dict[int | None, list[str]] = {}
    for code, path in outlines:
        paths.setdefault(shade(values.get(code)), []).append(path)
    column = table.columns[table.chart_column]
    if high > low and whole and classes < MAP_CLASSES:
        legend = [
            (colour(n), french_number(low + n), french_number(low + n))
            for n in range(classes)
        ]
    elif high > low:
        step = (high - low) / MAP_CLASSES
        legend = [
            (
                n,
                french_number(round(low + n * step)),
                french_number(round(low + (n + 1) * step)),
            )
            for n in range(MAP_CLASSES)
        ]
    elif present:
        legend = [(shade(high), french_number(round(high)), french_number(round(high)))]
    else:
        legend = []
    no_value = table.unmapped or NO_VALUE
    if any(value is None for value in values.values()):
        # A withheld value leaves its area blank too.
        no_value = f"{no_value} ou {table.withheld_label}"
    return {
        "width": MAP_WIDTH,
        "height": height,
        "areas": [
            {"shade": key, "path": "".join(parts)}
            for key, parts in sorted(
                paths.items(), key=lambda item: -1 if item[0] is None else item[0]
            )
        ],
        "legend": legend,
        "unit": column.unit,
        "label": column.label,
        "per": "commune" if per_commune else "département",
        "has_missing": None in paths,
        "no_value": no_value,
    }
