"""The map's offline base layer for the campus's région, read from the shipped files.

`manage.py build_base_layer --region CODE` writes `data/region-<CODE>.geojson`
(see data/README.md). A région with no file gets an empty layer: the map then
frames its markers, and tiles if a tile server is set.
"""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
EMPTY = {"type": "FeatureCollection", "features": []}


def layer_path(region_code: str) -> Path:
    return DATA_DIR / f"region-{region_code}.geojson"


@cache
def region_layer(region_code: str | None) -> dict:
    """The outlines of the région and its départements, or an empty collection."""
    path = layer_path(region_code) if region_code else None
    if path is None or not path.exists():
        return EMPTY
    with path.open(encoding="utf-8") as stream:
        return json.load(stream)
