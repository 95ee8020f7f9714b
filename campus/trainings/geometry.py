"""Rough outlines of a région and its départements, computed from commune coordinates.

No boundary file reaches these machines, so the map's offline base layer is the
convex hull of the communes' centres in each département (and in the région).
It is honest about what it is: an outline to find one's way, not a boundary.

Some shipped coordinates belong to a homonym elsewhere in the région (GeoNames
is matched by name); a point whose nearest neighbours are almost all in other
départements is such a mismatch and is left out of the hulls.
"""

import csv
from collections import defaultdict
from collections.abc import Iterable

Point = tuple[float, float]


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """Counter-clockwise hull of (lon, lat) points, closed (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return hull + [hull[0]]


NEIGHBOURS = 6
MIN_SAME_DEPARTEMENT = 2


def drop_misplaced(points: list[tuple[Point, str]]) -> list[tuple[Point, str]]:
    """Keeps the points that have at least two of their six nearest neighbours in their département."""
    kept = []
    for point, code in points:
        nearest = sorted(
            points,
            key=lambda other: (
                (other[0][0] - point[0]) ** 2 + (other[0][1] - point[1]) ** 2
            ),
        )[1 : NEIGHBOURS + 1]
        if (
            sum(1 for _p, other_code in nearest if other_code == code)
            >= MIN_SAME_DEPARTEMENT
        ):
            kept.append((point, code))
    return kept


def base_layer(rows: Iterable[dict], *, source: str) -> dict:
    """A GeoJSON FeatureCollection: the région's hull, then one hull per département."""
    names: dict[str, str] = {}
    located: list[tuple[Point, str]] = []
    region = ""
    for row in rows:
        if not row.get("latitude_centre") or not row.get("longitude_centre"):
            continue
        point = (
            round(float(row["longitude_centre"]), 3),
            round(float(row["latitude_centre"]), 3),
        )
        located.append((point, row["dep_code"]))
        names[row["dep_code"]] = row["dep_nom"]
        region = row["reg_nom"]
    by_departement: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for point, code in drop_misplaced(located):
        by_departement[(code, names[code])].append(point)
    features = [
        _polygon(
            convex_hull(p for points in by_departement.values() for p in points),
            kind="region",
            code="",
            name=region,
        )
    ]
    for (code, name), points in sorted(by_departement.items()):
        features.append(
            _polygon(convex_hull(points), kind="departement", code=code, name=name)
        )
    return {
        "type": "FeatureCollection",
        "properties": {"source": source},
        "features": features,
    }


def _polygon(ring: list[Point], *, kind: str, code: str, name: str) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
    }


def read_communes(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))
