"""ONISEP Idéo-Actions de formation initiale: which school teaches which training.

Datasets `605340ddc19a9` (univers lycée) and `605344579a7d7` (enseignement
supérieur), same columns, read by `campus.opendata.importers.onisep` in CSV,
JSON or XML. One record per action de formation (`AF.x`): a formation (`FOR.x`,
joined on `for_url_et_id_onisep`) in a teaching place (`ENS.x`, UAI). Quirks:
- `ens_code_postal` is sometimes a CEDEX code, so the commune is found by name
  among the communes of that postal code's département;
- `ens_region` is a name, not a code;
- the two universes share their columns: an action is of higher education
  when its `for_niveau_de_sortie` is post-bac (`bac + 2`…), and a school
  created for it is typed as higher education, unless it is a lycée;
- since September 2022 apprenticeship is no longer in these files (it moved to
  the Carif-Oref network): every action is the school route unless its
  `af_modalites_scolarite` says apprentissage.

Run it after the formations import: only actions of the sector's certifications
(known by their ONISEP id) and of schools in the campus's région are kept. The
school is found by UAI, or created from the action's `ens_*` fields; the
offering is upserted by the action's id, adopting a demo offering of the same
certification at the same school.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from campus.network.models import Organisation, OrganisationKind
from campus.network.validators import normalize_uai, validate_uai
from campus.opendata.importers import onisep
from campus.opendata.importers.base import ImportFileError, ImportReport, SkippedRow
from campus.opendata.progress import ProgressTracker
from campus.places.models import Commune
from campus.profiles.models import CampusProfile
from campus.search import fold
from campus.trainings.models import Certification, Offering, Route

LABEL = "ONISEP « Actions de formation initiale »"
REQUIRED = {
    "action_de_formation_af_identifiant_onisep",
    "for_url_et_id_onisep",
    "ens_code_uai",
    "lieu_denseignement_ens_libelle",
}
# How ONISEP names lycées: « Lycée professionnel … », « LP … », « LPO … ».
LYCEE_WORDS = {"lycee", "lp", "lpo", "lgt"}
# ONISEP's exit levels after the bac: « bac + 2 » to « bac + 8 ».
POST_BAC = re.compile(r"bac\s*\+", re.IGNORECASE)
OFFERING_FIELDS = ["certification", "organisation", "route", "duration", "url"]
is_url = URLValidator(schemes=["http", "https"])


def _url(value: str) -> str:
    value = value.strip()
    try:
        is_url(value)
    except ValidationError:
        return ""
    return value[:200]


class Places:
    """Communes of the campus's région, found by postal code and name."""

    def __init__(self, region_code: str | None):
        communes = Commune.objects.select_related("departement")
        if region_code:
            communes = communes.filter(departement__region__code=region_code)
        self.by_departement: dict[str, dict[str, Commune]] = {}
        for commune in communes.order_by("pk"):
            names = self.by_departement.setdefault(commune.departement.code, {})
            names.setdefault(fold(commune.name), commune)

    def find(self, postal_code: str, name: str) -> Commune | None:
        departement = postal_code.strip()[:2]
        return self.by_departement.get(departement, {}).get(fold(name))


def map_action(record: dict, line: int, *, certifications, region_name) -> dict:
    identifier = record["action_de_formation_af_identifiant_onisep"].strip()
    if not identifier.startswith("AF."):
        raise ImportFileError(
            f"identifiant « {identifier[:20]} » invalide (AF.… attendu).",
            line=line,
            column="action_de_formation_af_identifiant_onisep",
        )
    certification = certifications.get(onisep.onisep_id(record["for_url_et_id_onisep"]))
    if certification is None:
        raise SkippedRow("formation hors de la filière ou pas encore importée")
    if region_name and fold(record.get("ens_region", "")) != region_name:
        raise SkippedRow("établissement hors de la région du campus")
    uai = onisep.checked_identifier(
        normalize_uai(record["ens_code_uai"]), validate_uai, line, "ens_code_uai"
    )
    modalities = fold(record.get("af_modalites_scolarite", ""))
    return {
        "higher_education": bool(
            POST_BAC.match(record.get("for_niveau_de_sortie", "").strip())
        ),
        "onisep_id": identifier,
        "certification": certification,
        "uai": uai,
        "school_name": record["lieu_denseignement_ens_libelle"].strip()[:200],
        "address": record.get("ens_adresse", "").strip()[:250],
        "postal_code": record.get("ens_code_postal", "").strip()[:5],
        "commune_name": record.get("ens_commune", "").strip(),
        "latitude": onisep.coordinate(record, "ens_latitude", line, -90, 90),
        "longitude": onisep.coordinate(record, "ens_longitude", line, -180, 180),
        "phone": record.get("ens_n_telephone", "").strip()[:30],
        "website": _url(record.get("ens_site_web", "")),
        "route": Route.APPRENTICESHIP
        if "apprentissage" in modalities
        else Route.SCHOOL,
        "duration": record.get("af_duree_cycle_standard", "").strip()[:100],
        "url": _url(record.get("af_page_web", "")),
        "how_to_apply": record.get("af_modalites_accueil", "").strip()[:3000],
    }


def school_kind(values: dict) -> OrganisationKind:
    """Higher education for a post-bac training, unless taught in a lycée.

    Lycées teach BTS, DN MADe and other post-bac courses (the higher-education
    universe lists them): they stay secondary schools.
    """
    if values["higher_education"] and not LYCEE_WORDS & set(
        fold(values["school_name"]).split()
    ):
        return OrganisationKind.HIGHER_EDUCATION
    return OrganisationKind.SECONDARY_SCHOOL


def school_for(
    values: dict, schools: dict, places: Places
) -> tuple[Organisation, bool]:
    school = schools.get(values["uai"])
    if school is not None:
        return school, False
    school = Organisation(
        name=values["school_name"],
        kind=school_kind(values),
        uai=values["uai"],
        address=values["address"],
        postal_code=values["postal_code"],
        commune=places.find(values["postal_code"], values["commune_name"]),
        latitude=values["latitude"],
        longitude=values["longitude"],
        phone=values["phone"],
        website=values["website"],
        source=onisep.SOURCE,
        source_licence=onisep.LICENCE,
    )
    school.save()
    schools[values["uai"]] = school
    return school, True


@dataclass
class Known:
    """What the database already holds, read once before the rows."""

    certifications: dict[str, Certification]
    schools: dict[str, Organisation]
    offerings: dict[str, Offering]
    demo_offerings: dict[tuple, Offering]

    @classmethod
    def load(cls) -> "Known":
        return cls(
            certifications={
                c.onisep_id: c
                for c in Certification.objects.exclude(onisep_id="").order_by("pk")
            },
            schools={
                o.uai: o for o in Organisation.objects.exclude(uai="").order_by("pk")
            },
            offerings={
                o.onisep_id: o
                for o in Offering.objects.exclude(onisep_id="").order_by("pk")
            },
            demo_offerings={
                (o.certification_id, o.organisation_id, o.route): o
                for o in Offering.objects.filter(is_demo=True).order_by("pk")
            },
        )


def save_offering(
    values: dict, school: Organisation, known: Known, report: ImportReport
) -> None:
    """Creates or updates the action's offering, adopting a demo one, and counts it."""
    wanted = {
        "certification": values["certification"],
        "organisation": school,
        "route": values["route"],
        "duration": values["duration"],
        "url": values["url"],
    }
    offering = known.offerings.get(values["onisep_id"]) or known.demo_offerings.pop(
        (values["certification"].pk, school.pk, values["route"]), None
    )
    if offering is None:
        offering = Offering(
            onisep_id=values["onisep_id"],
            how_to_apply=values["how_to_apply"],
            source=onisep.SOURCE,
            source_licence=onisep.LICENCE,
            **wanted,
        )
        offering.save()
        known.offerings[values["onisep_id"]] = offering
        report.created += 1
        return
    same = all(getattr(offering, f) == wanted[f] for f in OFFERING_FIELDS)
    if same and offering.onisep_id == values["onisep_id"] and not offering.is_demo:
        report.unchanged += 1
        return
    for field, value in wanted.items():
        setattr(offering, field, value)
    offering.onisep_id = values["onisep_id"]
    offering.source, offering.source_licence = onisep.SOURCE, onisep.LICENCE
    offering.is_demo = False
    offering.save()
    report.updated += 1


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    campus = CampusProfile.load()
    region = campus.region if campus.pk and campus.region_id else None
    places = Places(region.code if region else None)
    known = Known.load()
    region_name = fold(region.name) if region else ""
    schools_created = 0
    for values in onisep.kept_records(
        path,
        required=REQUIRED,
        label=LABEL,
        progress=progress,
        report=report,
        map_record=lambda record, line: map_action(
            record, line, certifications=known.certifications, region_name=region_name
        ),
        key="onisep_id",
        duplicate="action de formation en double dans le fichier",
    ):
        school, created = school_for(values, known.schools, places)
        schools_created += created
        save_offering(values, school, known, report)
    report.summary = {
        "title": "Établissements ajoutés au réseau",
        "columns": ["établissements créés"],
        "rows": [[schools_created]],
    }
    progress.finish()
