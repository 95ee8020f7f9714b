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


SOURCE = "data.gouv.fr, Communes et villes de France"
LICENCE = "Licence Ouverte 2.0"


class CommunesFileError(ValueError):
    """The file is not a communes file, or one of its lines is malformed."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    regions: set[str] = field(default_factory=set)
    # (line, reason) of every skipped row, for the import run's report.
    skips: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, line: int, reason: str) -> None:
        self.skipped += 1
        self.skips.append((line, reason))


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
    existing = {c.insee_code: c for c in Commune.objects.all()}
    with transaction.atomic():
        try:
            _load_rows(reader, report, region_codes, existing)
        except csv.Error as error:
            raise CommunesFileError(
                f"ligne {reader.line_num} : guillemet jamais fermé, "
                "le fichier semble tronqué"
            ) from error
    return report


def _load_rows(
    reader: csv.DictReader,
    report: LoadReport,
    region_codes: set[str] | None,
    existing: dict[str, Commune],
) -> None:
    regions: dict[str, Region] = {}
    departements: dict[str, Departement] = {}
    next_line = 2
    for row in reader:
        line, next_line = next_line, reader.line_num + 1
        if None in row:
            raise CommunesFileError(f"ligne {line} : plus de valeurs que de colonnes")
        if any(value is None for value in row.values()):
            raise CommunesFileError(
                f"ligne {line} : moins de valeurs que de colonnes, "
                "le fichier semble tronqué"
            )
        row = {key.lstrip("\ufeff"): value.strip() for key, value in row.items()}
        region_code = row["reg_code"]
        if region_codes and region_code not in region_codes:
            report.skip(line, "hors de la région du campus")
            continue
        if row.get("typecom", "COM") not in ("COM", ""):
            report.skip(line, "commune déléguée, associée ou arrondissement")
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
        longitude = _float(row.get("longitude_mairie", ""), line, "longitude_mairie")
        if latitude is None:
            latitude = _float(row.get("latitude_centre", ""), line, "latitude_centre")
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
            "source": SOURCE,
            "source_licence": LICENCE,
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
