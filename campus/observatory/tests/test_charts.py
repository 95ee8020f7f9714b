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
    jura, doubs, cote_dor = drawn["areas"]
    assert [jura["shade"], doubs["shade"], cote_dor["shade"]] == [None, 0, 4]
    assert drawn["has_missing"] and drawn["no_value"] == "aucune donnée"
    assert drawn["per"] == "département"
    # West of the région is x = 0, north is y = 0; 2 degrees of longitude span the
    # width, in whole pixels with relative steps after the first point.
    assert drawn["height"] == 704
    assert cote_dor["path"] == "M0 704l240 0 0 -704z"
    assert drawn["legend"][0][1] == "20" and drawn["legend"][-1][2] == "100"


def test_counts_over_a_short_range_get_a_class_per_value():
    """3 and 4 offerings: two classes, the lightest and the darkest shade, and a
    legend without repeated bounds (five classes would read « 3, 3, 3 à 4 »)."""
    figure = table([["Côte-d'Or", 4], ["Doubs", 3]])
    figure.map_codes = ["21", "25"]
    drawn = charts.choropleth(figure, LAYER)
    assert [area["shade"] for area in drawn["areas"]] == [None, 0, 4]
    assert drawn["legend"] == [(0, "3", "3"), (4, "4", "4")]


def test_no_map_without_codes_or_without_a_base_layer():
    figure = table([["Côte-d'Or", 100]])
    assert charts.choropleth(figure, LAYER) is None
    figure.map_codes = ["21"]
    assert (
        charts.choropleth(figure, {"type": "FeatureCollection", "features": []}) is None
    )


def _commune(code, west, south, size=0.1):
    east, north = west + size, south + size
    return {
        "type": "Feature",
        "properties": {"code": code, "departement": code[:2]},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[west, south], [east, south], [east, north], [west, north]]
                + [[west, south]]
            ],
        },
    }


# Two départements: three communes side by side in the 21, one in the 25, and a
# commune of the 21 far smaller than a pixel.
COMMUNES = {
    "21": [
        _commune("21001", 4.0, 47.0),
        _commune("21002", 4.1, 47.0),
        _commune("21003", 4.2, 47.0),
        _commune("21004", 4.05, 47.05, size=0.0001),
    ],
    "25": [_commune("25001", 6.0, 47.0)],
}


def test_commune_codes_shade_the_communes_of_their_departement():
    figure = table([["Dijon (21001)", 300], ["Beaune (21002)", 100]])
    figure.map_codes = ["21001", "21002"]
    drawn = charts.choropleth(figure, LAYER, COMMUNES)
    assert drawn["per"] == "commune"
    unlisted, beaune, dijon = drawn["areas"]
    assert [unlisted["shade"], beaune["shade"], dijon["shade"]] == [None, 0, 4]
    # The three communes span the 480 pixels: each is a third of it, and the 25
    # is not drawn; the tiny commune is left out rather than drawn as a dot.
    assert dijon["path"].startswith("M0 ") and "l160 0 " in dijon["path"]
    assert unlisted["path"].startswith("M320 ") and unlisted["path"].count("M") == 1
    assert drawn["has_missing"] and drawn["no_value"] == "aucune donnée"


def test_a_figure_listing_some_communes_names_the_blank_ones():
    figure = table([["Dijon (21001)", 300]])
    figure.map_codes = ["21001"]
    figure.unmapped = "commune non listée"
    drawn = charts.choropleth(figure, LAYER, COMMUNES)
    assert drawn["no_value"] == "commune non listée"
    # A single value takes the darkest shade, in the map and in its legend.
    assert drawn["legend"] == [(4, "300", "300")]
    assert [area["shade"] for area in drawn["areas"]] == [None, 4]


def test_a_withheld_value_is_blank_and_named_in_the_legend():
    figure = table([["Dijon (21001)", 300], ["Beaune (21002)", None]])
    figure.map_codes = ["21001", "21002"]
    drawn = charts.choropleth(figure, LAYER, COMMUNES)
    assert drawn["no_value"] == "aucune donnée ou non diffusé"
    figure.rows[0][1] = None
    drawn = charts.choropleth(figure, LAYER, COMMUNES)
    assert drawn["legend"] == [] and drawn["areas"][0]["shade"] is None


def test_no_commune_map_across_departements_or_without_a_commune_layer():
    figure = table([["Dijon (21001)", 300], ["Besançon (25001)", 200]])
    figure.map_codes = ["21001", "25001"]
    assert charts.choropleth(figure, LAYER, COMMUNES) is None
    figure.rows, figure.map_codes = figure.rows[:1], figure.map_codes[:1]
    assert charts.choropleth(figure, LAYER, {}) is None
    assert charts.choropleth(figure, LAYER) is None
