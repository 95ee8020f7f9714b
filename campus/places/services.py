"""Loads communes from data.gouv.fr's "Communes et villes de France" CSV.

Format (see docs/operators.md): UTF-8 (a BOM is accepted), `,` separator, a first
column with an empty name (pandas index), `codes_postaux` as a quoted list
"01500, 01501". Columns are read by name, never by position, since they change
between vintages. Coordinates: the town hall's (`latitude_mairie`), else the
centroid's (`latitude_centre`). The load is all-or-nothing and upserts by INSEE code.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from campus.places.models import Commune, Departement, Region

REQUIRED_COLUMNS = {
    "code_insee",
    "nom_standard",
    "reg_code",
    "reg_nom",
    "dep_code",
    "dep_nom",
}


class CommunesFileError(ValueError):
    """The file is not a communes file, or one of its lines is malformed."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    regions: set[str] = field(default_factory=set)


def _float(value: str, line: int, column: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError as error:
        raise CommunesFileError(
            f"ligne {line}, colonne {column} : « {value} » n'est pas un nombre"
        ) from error


def load_communes(
    text_stream: io.TextIOBase, *, region_codes: set[str] | None = None
) -> LoadReport:
    reader = csv.DictReader(text_stream)
    header = {name.lstrip("\ufeff") for name in (reader.fieldnames or [])}
    missing = REQUIRED_COLUMNS - header
    if missing:
        raise CommunesFileError(
            "ce fichier n'est pas un fichier de communes : colonnes manquantes "
            + ", ".join(sorted(missing))
        )
    report = LoadReport()
    regions: dict[str, Region] = {}
    departements: dict[str, Departement] = {}
    existing = {c.insee_code: c for c in Commune.objects.all()}
    with transaction.atomic():
        for line, row in enumerate(reader, start=2):
            row = {
                key.lstrip("\ufeff") if key else key: (value or "").strip()
                for key, value in row.items()
            }
            if None in row:
                raise CommunesFileError(
                    f"ligne {line} : plus de valeurs que de colonnes"
                )
            region_code = row["reg_code"]
            if region_codes and region_code not in region_codes:
                report.skipped += 1
                continue
            if row.get("typecom", "COM") not in ("COM", ""):
                report.skipped += 1
                continue
            insee_code = row["code_insee"]
            if len(insee_code) != 5 or not row["nom_standard"]:
                raise CommunesFileError(
                    f"ligne {line}, colonne code_insee : code « {insee_code} » invalide"
                )
            if region_code not in regions:
                regions[region_code], _ = Region.objects.update_or_create(
                    code=region_code, defaults={"name": row["reg_nom"]}
                )
            dep_code = row["dep_code"]
            if dep_code not in departements:
                departements[dep_code], _ = Departement.objects.update_or_create(
                    code=dep_code,
                    defaults={"name": row["dep_nom"], "region": regions[region_code]},
                )
            latitude = _float(row.get("latitude_mairie", ""), line, "latitude_mairie")
            longitude = _float(
                row.get("longitude_mairie", ""), line, "longitude_mairie"
            )
            if latitude is None:
                latitude = _float(
                    row.get("latitude_centre", ""), line, "latitude_centre"
                )
                longitude = _float(
                    row.get("longitude_centre", ""), line, "longitude_centre"
                )
            population = row.get("population", "")
            values = {
                "name": row["nom_standard"],
                "departement": departements[dep_code],
                "postal_codes": row.get("codes_postaux") or row.get("code_postal", ""),
                "latitude": latitude,
                "longitude": longitude,
                "population": int(float(population)) if population else None,
            }
            commune = existing.get(insee_code)
            if commune is None:
                Commune.objects.create(insee_code=insee_code, **values)
                report.created += 1
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(commune, key, value)
                commune.save()
                report.updated += 1
            else:
                report.unchanged += 1
            report.regions.add(region_code)
    return report
