"""Loads communes from data.gouv.fr's "Communes et villes de France" CSV.

Format (see docs/operators.md): UTF-8 (a BOM is accepted), `,` separator, a first
column with an empty name (pandas index), `codes_postaux` as a quoted list
"01500, 01501". Columns are read by name, never by position, since they change
between vintages. Coordinates: the town hall's (`latitude_mairie`), else the
centroid's (`latitude_centre`). The load is all-or-nothing and upserts by INSEE code.
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from campus.places.models import Commune, Departement, Region
from campus.rules import RuleError

if TYPE_CHECKING:
    from campus.opendata.importers.base import ImportReport

REQUIRED_COLUMNS = {
    "code_insee",
    "nom_standard",
    "reg_code",
    "reg_nom",
    "dep_code",
    "dep_nom",
}


# The communes of Bourgogne-Franche-Comté in that format, shipped with Campus.
SHIPPED_FILE = Path(__file__).parent / "data/communes-27-bourgogne-franche-comte.csv"

SOURCE = "data.gouv.fr, Communes et villes de France"
LICENCE = "Licence Ouverte 2.0"


class CommunesFileError(RuleError):
    """The file is not a communes file, or one of its lines is malformed."""

    status_code = 400
    title = "Fichier refusé"


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
    text_stream: io.TextIOBase,
    *,
    report: "ImportReport",
    region_codes: set[str] | None = None,
) -> None:
    """Loads the file all-or-nothing into `report`, keeping the given régions."""
    reader = csv.DictReader(text_stream)
    _check_header(reader)
    places = _Places()
    existing = {c.insee_code: c for c in Commune.objects.all()}
    new_communes = []
    with transaction.atomic():
        for line, row in _rows(reader):
            report.rows_read += 1
            reason = _skip_reason(row, region_codes)
            if reason:
                report.skip(line, reason)
                continue
            code, values = row["code_insee"], _commune_values(row, line, places)
            if code in existing:
                report.upsert(existing[code], values, Commune, insee_code=code)
                continue
            # A first load inserts thousands of communes: in batches, not one by one.
            commune = Commune(insee_code=code, **values)
            commune.fold_search_name()
            new_communes.append(commune)
        # Django splits the insert to stay within the database's parameter limit.
        Commune.objects.bulk_create(new_communes)
        report.created += len(new_communes)


def _check_header(reader: csv.DictReader) -> None:
    header = {name.lstrip("\ufeff") for name in (reader.fieldnames or [])}
    missing = REQUIRED_COLUMNS - header
    if missing:
        raise CommunesFileError(
            "ce fichier n'est pas un fichier de communes : colonnes manquantes "
            + ", ".join(sorted(missing))
        )


def _rows(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row with its line number, stripped, once its shape is checked."""
    next_line = 2
    try:
        for row in reader:
            line, next_line = next_line, reader.line_num + 1
            if None in row:
                raise CommunesFileError(
                    f"ligne {line} : plus de valeurs que de colonnes"
                )
            if any(value is None for value in row.values()):
                raise CommunesFileError(
                    f"ligne {line} : moins de valeurs que de colonnes, "
                    "le fichier semble tronqué"
                )
            yield line, {k.lstrip("\ufeff"): v.strip() for k, v in row.items()}
    except csv.Error as error:
        raise CommunesFileError(
            f"ligne {reader.line_num} : guillemet jamais fermé, "
            "le fichier semble tronqué"
        ) from error


def _skip_reason(row: dict[str, str], region_codes: set[str] | None) -> str:
    if region_codes and row["reg_code"] not in region_codes:
        return "hors de la région du campus"
    if row.get("typecom", "COM") not in ("COM", ""):
        return "commune déléguée, associée ou arrondissement"
    return ""


class _Places:
    """The file's régions and départements, each saved once per load."""

    def __init__(self):
        self.regions: dict[str, Region] = {}
        self.departements: dict[str, Departement] = {}

    def departement(self, row: dict[str, str]) -> Departement:
        region_code, code = row["reg_code"], row["dep_code"]
        if region_code not in self.regions:
            self.regions[region_code], _ = Region.objects.update_or_create(
                code=region_code, defaults={"name": row["reg_nom"]}
            )
        if code not in self.departements:
            self.departements[code], _ = Departement.objects.update_or_create(
                code=code,
                defaults={"name": row["dep_nom"], "region": self.regions[region_code]},
            )
        return self.departements[code]


def _coordinates(row: dict[str, str], line: int) -> tuple[float | None, float | None]:
    """The town hall's coordinates, else the centroid's."""
    for place in ("mairie", "centre"):
        latitude = _float(row.get(f"latitude_{place}", ""), line, f"latitude_{place}")
        longitude = _float(
            row.get(f"longitude_{place}", ""), line, f"longitude_{place}"
        )
        if latitude is not None:
            return latitude, longitude
    return None, None


def _commune_values(row: dict[str, str], line: int, places: _Places) -> dict:
    insee_code = row["code_insee"]
    if len(insee_code) != 5 or not row["nom_standard"]:
        raise CommunesFileError(
            f"ligne {line}, colonne code_insee : code « {insee_code} » invalide"
        )
    latitude, longitude = _coordinates(row, line)
    population = row.get("population", "")
    return {
        "name": row["nom_standard"],
        "departement": places.departement(row),
        "postal_codes": row.get("codes_postaux") or row.get("code_postal", ""),
        "latitude": latitude,
        "longitude": longitude,
        "population": int(float(population)) if population else None,
        "source": SOURCE,
        "source_licence": LICENCE,
    }
