"""The map's offline base layer for the campus's région, read from the shipped files.

`manage.py build_base_layer --region CODE` writes `data/region-<CODE>.geojson`,
and with `--communes` `data/communes-<CODE>.geojson` (see data/README.md). A
région with no file gets an empty layer: the map then frames its markers, and
tiles if a tile server is set; the observatory draws no commune map.
"""

import json
from functools import cache
from pathlib import Path

from django.urls import reverse

DATA_DIR = Path(__file__).parent / "data"
EMPTY = {"type": "FeatureCollection", "features": []}


def layer_path(region_code: str) -> Path:
    return DATA_DIR / f"region-{region_code}.geojson"


def commune_layer_path(region_code: str) -> Path:
    return DATA_DIR / f"communes-{region_code}.geojson"


def layer_url(region_code: str | None) -> str:
    """Where the map fetches the région's outline once the page has painted (it
    weighs about 70 kB: written into the page, it delayed the page's first paint),
    or "" for a région with no file."""
    if not region_code or not layer_path(region_code).exists():
        return ""
    return reverse("trainings:map_base_layer", args=[region_code])


def _load(path: Path | None) -> dict:
    if path is None or not path.exists():
        return EMPTY
    with path.open(encoding="utf-8") as stream:
        return json.load(stream)


@cache
def region_layer(region_code: str | None) -> dict:
    """The outlines of the région and its départements, or an empty collection."""
    return _load(layer_path(region_code) if region_code else None)


@cache
def commune_layer(region_code: str | None) -> dict[str, list[dict]]:
    """Département code → the outlines of its communes (GeoJSON features); empty
    for a région with no file. About 1 MB, read once per process when a figure
    first lists communes."""
    layer = _load(commune_layer_path(region_code) if region_code else None)
    grouped: dict[str, list[dict]] = {}
    for feature in layer["features"]:
        grouped.setdefault(feature["properties"]["departement"], []).append(feature)
    return grouped
