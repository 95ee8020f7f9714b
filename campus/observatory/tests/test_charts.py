"""The SVG geometry: bars from a zero line, both ways; one panel per series."""

from decimal import Decimal

from campus.observatory import charts
from campus.observatory.figures import Column, Table


def table(rows, chart="bars"):
    return Table(
        columns=[Column("Lieu", numeric=False), Column("Valeur", "points")],
        rows=rows,
        source="s",
        licence="l",
        period="p",
        chart=chart,
    )


def test_positive_bars_start_at_the_labels_and_scale_to_the_largest():
    drawn = charts.chart_of(table([["A", 10], ["B", 5], ["C", None]]))
    a, b, c = drawn["items"]
    assert a.x == b.x == charts.LABEL_WIDTH
    assert a.width == 2 * b.width
    assert c.width == 0 and c.value_text == "non diffusé"
    assert drawn["zero_x"] is None


def test_negative_bars_grow_left_of_a_zero_line_with_their_value_before_them():
    drawn = charts.chart_of(table([["A", Decimal(6)], ["B", Decimal(-3)]]))
    a, b = drawn["items"]
    zero = drawn["zero_x"]
    assert a.x == zero and abs(b.x + b.width - zero) < 0.1
    assert abs(a.width - 2 * b.width) < 0.2
    assert b.anchor == "end" and b.value_x < b.x
    assert b.value_text == "-3\u00a0points"
    assert a.anchor == "start" and a.value_x > a.x + a.width


def test_nothing_to_draw_when_every_value_is_zero_or_missing():
    assert charts.chart_of(table([["A", 0], ["B", None]])) is None


def test_lines_give_one_panel_per_series_on_its_own_scale():
    lines = Table(
        columns=[
            Column("Année", numeric=False),
            Column("Salariés"),
            Column("Établissements"),
        ],
        rows=[[2020, 100, 2], [2021, 200, 4]],
        source="s",
        licence="l",
        period="p",
        chart="lines",
    )
    drawn = charts.chart_of(lines)
    salaried, establishments = drawn["panels"]
    # Each series reaches the top of its own panel.
    assert salaried.dots[1][1] == establishments.dots[1][1]
    assert [salaried.series, establishments.series] == [0, 1]


def test_a_withheld_value_among_negative_ones_is_written_left_of_the_zero_line():
    drawn = charts.chart_of(table([["A", -4], ["B", None]]))
    withheld = drawn["items"][1]
    assert withheld.anchor == "end" and withheld.value_x < drawn["zero_x"]


LAYER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"kind": "region", "code": "27", "name": "Région"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[4, 46], [6, 46], [6, 48], [4, 46]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"kind": "departement", "code": "21", "name": "Côte-d'Or"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[4, 46], [5, 46], [5, 48], [4, 46]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"kind": "departement", "code": "25", "name": "Doubs"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[5, 46], [6, 46], [6, 48], [5, 46]]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"kind": "departement", "code": "39", "name": "Jura"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[5, 46], [6, 46], [5, 47], [5, 46]]],
            },
        },
    ],
}


def test_the_map_shades_each_departement_by_its_value_and_marks_the_missing():
    figure = table([["Côte-d'Or", 100], ["Doubs", 20]])
    figure.map_codes = ["21", "25"]
    drawn = charts.choropleth(figure, LAYER)
    shades = {area["name"]: area["shade"] for area in drawn["areas"]}
    assert shades == {"Côte-d'Or": 4, "Doubs": 0, "Jura": None}
    assert drawn["has_missing"]
    # West of the région is x = 0, north is y = 0; 2 degrees of longitude span the width.
    cote_dor = drawn["areas"][0]["path"]
    assert cote_dor.startswith("M0.0,") and "Z" in cote_dor
    assert drawn["legend"][0][1] == "20" and drawn["legend"][-1][2] == "100"


def test_no_map_without_codes_or_without_a_base_layer():
    figure = table([["Côte-d'Or", 100]])
    assert charts.choropleth(figure, LAYER) is None
    figure.map_codes = ["21"]
    assert (
        charts.choropleth(figure, {"type": "FeatureCollection", "features": []}) is None
    )
