"""ONISEP Idéo-Structures d'enseignement secondaire / supérieur: the schools.

Dataset ids `5fa5816ac6a6e` (secondary) and `5fa586da5c4b6` (higher education),
read by `campus.opendata.importers.onisep` in CSV, JSON or XML. One record per
teaching structure. Quirks: `commune_cog` is the INSEE code (use it, not `cp`,
which may be a CEDEX code); `longitude_x` comes before `latitude_y`; `region_cog`
is the INSEE région code.

The file lists every school of France; the campus keeps the schools of its
région that its network already holds (by UAI: the campus's own partners, and
the schools the actions-de-formation import found teaching a training of the
sector), and refreshes their official identity: name, SIRET, address, commune,
coordinates, telephone.
"""

from pathlib import Path

from campus.network.models import Organisation
from campus.network.validators import (
    normalize_siret,
    normalize_uai,
    validate_siret,
    validate_uai,
)
from campus.opendata.importers import onisep
from campus.opendata.importers.base import ImportReport, SkippedRow
from campus.opendata.progress import ProgressTracker
from campus.places.models import Commune, coordinates_or_commune
from campus.profiles.models import CampusProfile

LABEL = "ONISEP « Structures d'enseignement »"
REQUIRED = {"code_uai", "nom", "commune_cog", "region_cog", "longitude_x", "latitude_y"}
FIELDS = [
    "name",
    "siret",
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "phone",
]


def map_structure(record: dict, line: int, *, region_code, known, communes) -> dict:
    uai = onisep.checked_identifier(
        normalize_uai(record["code_uai"]), validate_uai, line, "code_uai"
    )
    if region_code and record["region_cog"].strip() != region_code:
        raise SkippedRow("hors de la région du campus")
    if uai not in known:
        raise SkippedRow("établissement sans formation de la filière dans le réseau")
    siret = normalize_siret(record.get("n_siret", ""))
    if siret:
        onisep.checked_identifier(siret, validate_siret, line, "n_siret")
    commune = communes.get(record["commune_cog"].strip())
    latitude = onisep.coordinate(record, "latitude_y", line, -90, 90)
    longitude = onisep.coordinate(record, "longitude_x", line, -180, 180)
    latitude, longitude = coordinates_or_commune(latitude, longitude, commune)
    return {
        "uai": uai,
        "name": record["nom"][:200] or known[uai].name,
        "siret": siret or known[uai].siret,
        "address": record.get("adresse", "")[:250],
        "postal_code": record.get("cp", "")[:5],
        "commune": commune,
        "latitude": latitude,
        "longitude": longitude,
        "phone": record.get("telephone", "")[:30],
    }


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    campus = CampusProfile.load()
    region_code = campus.region.code if campus.pk and campus.region_id else None
    known = {o.uai: o for o in Organisation.objects.exclude(uai="").order_by("pk")}
    communes = {c.insee_code: c for c in Commune.objects.select_related("departement")}
    for values in onisep.kept_records(
        path,
        required=REQUIRED,
        label=LABEL,
        progress=progress,
        report=report,
        map_record=lambda record, line: map_structure(
            record, line, region_code=region_code, known=known, communes=communes
        ),
        key="uai",
        duplicate="établissement en double dans le fichier",
    ):
        organisation = known[values["uai"]]
        changed = [f for f in FIELDS if getattr(organisation, f) != values[f]]
        if (
            organisation.source != onisep.SOURCE
            or organisation.source_licence != onisep.LICENCE
        ):
            changed.append("source")
        if not changed:
            report.unchanged += 1
            continue
        for field in FIELDS:
            setattr(organisation, field, values[field])
        organisation.source, organisation.source_licence = onisep.SOURCE, onisep.LICENCE
        organisation.save()
        report.updated += 1
    progress.finish()
