"""Carif-Oref and ONISEP training offer in Lhéo 2.2 XML: continuing education and
apprenticeship, which ONISEP's Idéo files no longer cover since 2022.

Format: `<lheo xmlns="http://www.lheo.org/2.2"><offres><formation numero=…>`, one
`formation` holding its `domaine-formation` (`code-FORMACODE`, `code-NSF`,
`code-ROME`), `certification/code-RNCP`, `code-niveau-sortie`, the training
body in charge (`organisme-formation-responsable`, with its SIRET) and one or
more `action` (a place, `lieu-de-formation`, and its `session`s with
`periode/debut`). Published by each Carif-Oref under the Licence Ouverte 2.0,
and by ONISEP (per-région zips, ODbL; their formations carry an `extras`
« FORMATION ONISEP »). Quirks:
- a region's offer is tens of MB: it is read as a stream, one formation at a
  time, never whole;
- dates are `AAAAMMJJ`, with `00` for an unknown day or month (`20170900`);
- ids carry a Carif prefix (`15_927411`);
- `code-niveau-sortie` uses the 1969 levels (4 = niveau V, CAP … 8 = niveau I);
- the route is in extensions: `extras info="dispositif"` →
  `extra info="contrat-apprentissage"` is 1 for apprenticeship, and ONISEP marks
  school trainings `extra info="formation-initiale"` 1;
- the action's own trainer (`organisme-formateur`) may differ from the body in
  charge of the formation: the offering is at the trainer when given;
- text fields hold escaped HTML; empty values are often `-`.

Kept: formations with an RNCP code (an offering needs a certification) of the
sector (NSF or ROME codes, or keywords of the sector profile), and their actions
in the campus's départements. The certification is found by RNCP code, or
created; the training body by SIRET, or created; a place in another commune
than the body's becomes one of its sites. Offerings are upserted by the action's
id. Not held by the models today, so not imported: FORMACODE codes, CERTIFINFO
codes, sessions' end dates and enrolment periods, hours, funders (POEC, CPF…),
public and entry level, and the contact people.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.formats import date_format

from campus.network.models import Organisation, OrganisationKind, Site
from campus.network.validators import normalize_siret, validate_siret
from campus.opendata.importers import onisep
from campus.opendata.importers.base import (
    CountingReader,
    ImportFileError,
    ImportReport,
    SkippedRow,
    campus_departements,
    check_not_binary,
    communes_of,
    file_start,
    in_departements,
)
from campus.opendata.importers.onisep_formations import (
    DIPLOMA_ACRONYMS,
    Sector,
    rncp_code,
)
from campus.opendata.progress import ProgressTracker
from campus.places.models import Commune
from campus.profiles.models import NSF_CODE, ROME_CODE, SectorProfile
from campus.trainings.models import Certification, DiplomaType, Offering, Route

SOURCE = "Carif-Oref, offre de formation (Lhéo)"
LICENCE = "Licence Ouverte 2.0"
LABEL = "offre de formation Lhéo 2.2"
# The 1969 levels of `code-niveau-sortie`, as levels of the national framework.
LEVELS = {"4": 3, "5": 4, "6": 5, "7": 6, "8": 7}
LHEO_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
OFFERING_FIELDS = [
    "certification",
    "organisation",
    "site",
    "route",
    "duration",
    "start_dates",
    "url",
]
# A body first met teaching by this route: ONISEP's school route is a lycée's.
BODY_KINDS = {
    Route.APPRENTICESHIP: OrganisationKind.CFA,
    Route.SCHOOL: OrganisationKind.SECONDARY_SCHOOL,
    Route.CONTINUING: OrganisationKind.TRAINING_BODY,
}
is_url = URLValidator(schemes=["http", "https"])


def _text(element, path: str) -> str:
    value = (element.findtext(path) or "").strip()
    return "" if value == "-" else value


def _extra(element, group: str, info: str) -> str:
    """The value of `<extras info=group><extra info=info>` directly under element."""
    for extras in element.findall("{*}extras"):
        if extras.get("info") == group:
            for extra in extras.findall("{*}extra"):
                if extra.get("info") == info:
                    return (extra.text or "").strip()
    return ""


def start_label(value: str, where: str) -> str:
    """A session's start, `AAAAMMJJ` with `00` for an unknown day or month, in French."""
    match = LHEO_DATE.match(value)
    if not match:
        raise ImportFileError(
            f"{where} : date « {value[:20]} » invalide (AAAAMMJJ attendu).",
            column="debut",
        )
    year, month, day = (int(part) for part in match.groups())
    if not year:
        return ""
    if not month:
        return str(year)
    try:
        start = datetime.date(year, month, day or 1)
    except ValueError:
        raise ImportFileError(
            f"{where} : date « {value} » invalide (AAAAMMJJ attendu).", column="debut"
        ) from None
    return date_format(start, "F Y" if not day else "d/m/Y")


def _url(value: str) -> str:
    value = value.strip()
    if value and "://" not in value:
        # Carif-Oref and ONISEP often give a bare domain (`lycee.fr/formations`).
        value = f"https://{value}"
    try:
        is_url(value)
    except ValidationError:
        return ""
    return value[:200]


def _coordinates(address) -> tuple[float | None, float | None]:
    record = {
        "latitude": _text(address, "{*}geolocalisation/{*}latitude"),
        "longitude": _text(address, "{*}geolocalisation/{*}longitude"),
    }
    return (
        onisep.coordinate(record, "latitude", None, -90, 90),
        onisep.coordinate(record, "longitude", None, -180, 180),
    )


def _place(address) -> dict:
    """Address fields of a Lhéo `adresse` element."""
    if address is None:
        return {
            "commune_code": "",
            "address": "",
            "postal_code": "",
            "latitude": None,
            "longitude": None,
        }
    latitude, longitude = _coordinates(address)
    return {
        "commune_code": _text(address, "{*}code-INSEE-commune"),
        "address": " ".join(
            line
            for line in (
                (ligne.text or "").strip() for ligne in address.findall("{*}ligne")
            )
            if line and line != "-"
        )[:250],
        "postal_code": _text(address, "{*}codepostal")[:5],
        "latitude": latitude,
        "longitude": longitude,
    }


def _codes(domain, tag: str, pattern: re.Pattern, where: str) -> list[str]:
    codes = [(e.text or "").strip().upper() for e in domain.findall(f"{{*}}{tag}")]
    wrong = [code for code in codes if not pattern.match(code)]
    if wrong:
        raise ImportFileError(
            f"{where} : {tag} « {wrong[0][:10]} » invalide.", column=tag
        )
    return [code for code in codes if code]


def _siret(value: str, where: str) -> str:
    siret = normalize_siret(value)
    try:
        validate_siret(siret)
    except ValidationError as error:
        raise ImportFileError(
            f"{where} : {error.messages[0]}", column="SIRET"
        ) from None
    return siret


@dataclass
class Body:
    """A training body as the file describes it."""

    siret: str
    name: str
    place: dict


@dataclass
class Action:
    identifier: str
    body: Body
    place: dict
    route: str
    duration: str
    url: str
    start_dates: str


@dataclass
class Formation:
    number: int
    identifier: str
    title: str
    rncp_code: str
    level: int | None
    diploma_type: str
    nsf_codes: list[str]
    rome_codes: list[str]
    source: str
    licence: str
    actions: list[Action] = field(default_factory=list)


def _body(element, name_path: str, siret_path: str, address_path: str, where: str):
    return Body(
        siret=_siret(_text(element, siret_path), where),
        name=_text(element, name_path)[:200],
        place=_place(element.find(address_path)),
    )


def map_action(element, responsible: Body, onisep_export: bool, where: str) -> Action:
    identifier = element.get("numero", "").strip()
    if not identifier:
        raise ImportFileError(f"{where} : action sans numéro.", column="numero")
    trainer = element.find("{*}organisme-formateur")
    body = responsible
    if trainer is not None and _text(trainer, "{*}SIRET-formateur/{*}SIRET"):
        body = _body(
            trainer,
            "{*}raison-sociale-formateur",
            "{*}SIRET-formateur/{*}SIRET",
            "{*}contact-formateur/{*}coordonnees/{*}adresse",
            where,
        )
        body.name = body.name or responsible.name
    if _extra(element, "dispositif", "contrat-apprentissage") == "1":
        route = Route.APPRENTICESHIP
    elif (
        onisep_export and _extra(element, "type-formation", "formation-initiale") == "1"
    ):
        route = Route.SCHOOL
    else:
        route = Route.CONTINUING
    starts = []
    for session in element.findall("{*}session"):
        if _extra(session, "session", "session-perimee") == "1":
            continue
        label = start_label(_text(session, "{*}periode/{*}debut"), where)
        if label and label not in starts:
            starts.append(label)
    hours = _text(element, "{*}nombre-heures-total")
    return Action(
        identifier=identifier[:60],
        body=body,
        place=_place(element.find("{*}lieu-de-formation/{*}coordonnees/{*}adresse")),
        route=route,
        duration=(
            _text(element, "{*}duree-indicative") or (f"{hours} h" if hours else "")
        )[:100],
        url=_url(_text(element, "{*}url-action/{*}urlweb")),
        start_dates=", ".join(starts)[:200],
    )


def map_formation(element, number: int) -> Formation:
    identifier = element.get("numero", "").strip()
    where = f"formation {identifier or f'n° {number}'}"
    title = _text(element, "{*}intitule-formation")
    if not title:
        raise ImportFileError(f"{where} : intitulé vide.", column="intitule-formation")
    domain = element.find("{*}domaine-formation")
    rncp = ""
    for certification in element.findall("{*}certification"):
        rncp = rncp or rncp_code(
            {"code-RNCP": _text(certification, "{*}code-RNCP")}, None, "code-RNCP"
        )
    onisep_export = element.find("{*}extras[@info='FORMATION ONISEP']") is not None
    body = element.find("{*}organisme-formation-responsable")
    if body is None:
        raise ImportFileError(
            f"{where} : organisme responsable absent.",
            column="organisme-formation-responsable",
        )
    responsible = _body(
        body,
        "{*}raison-sociale",
        "{*}SIRET-organisme-formation/{*}SIRET",
        "{*}coordonnees-organisme/{*}coordonnees/{*}adresse",
        where,
    )
    responsible.name = responsible.name or _text(
        element, "{*}organisme-formation-responsable/{*}nom-organisme"
    )
    acronym = title.split(" ", 1)[0].upper()
    formation = Formation(
        number=number,
        identifier=identifier,
        title=title[:250],
        rncp_code=rncp,
        level=LEVELS.get(_text(element, "{*}code-niveau-sortie")),
        diploma_type=DIPLOMA_ACRONYMS.get(acronym, DiplomaType.OTHER),
        nsf_codes=[] if domain is None else _codes(domain, "code-NSF", NSF_CODE, where),
        rome_codes=[]
        if domain is None
        else _codes(domain, "code-ROME", ROME_CODE, where),
        source="ONISEP, Idéo (Lhéo)" if onisep_export else SOURCE,
        licence=onisep.LICENCE if onisep_export else LICENCE,
    )
    formation.actions = [
        map_action(action, responsible, onisep_export, where)
        for action in element.findall("{*}action")
    ]
    return formation


def read_formations(path: Path, progress: ProgressTracker):
    """The formations of a Lhéo file, one at a time, each cleared once read."""
    check_not_binary(file_start(path), LABEL)
    progress.set_total(path.stat().st_size)
    number = 0
    with path.open("rb") as raw:
        stream = io.BufferedReader(CountingReader(raw, progress))
        try:
            events = ElementTree.iterparse(stream, events=("start", "end"))
            _event, root = next(events)
            if root.tag.rsplit("}", 1)[-1] != "lheo":
                raise ImportFileError(
                    f"ce fichier n'est pas une {LABEL} (élément racine "
                    f"« {root.tag.rsplit('}', 1)[-1][:40]} »).",
                    line=1,
                )
            parent = root
            for event, element in events:
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if tag == "offres":
                        parent = element
                    continue
                if tag == "formation":
                    number += 1
                    yield map_formation(element, number)
                    # Read formations are dropped, so memory does not grow with the file.
                    parent.clear()
        except ElementTree.ParseError as error:
            raise ImportFileError(
                f"XML mal formé ou tronqué (formation {number + 1}, {error}).",
                line=error.position[0],
            ) from None


class Persister:
    """Finds or creates certifications, training bodies and their sites; upserts offerings."""

    def __init__(self, report: ImportReport, communes: dict[str, Commune]):
        self.report, self.communes = report, communes
        # Options of one diploma share its RNCP code: the first one stands for it.
        self.certifications: dict[str, Certification] = {}
        for certification in Certification.objects.exclude(rncp_code="").order_by("pk"):
            self.certifications.setdefault(certification.rncp_code, certification)
        self.bodies = {
            o.siret: o for o in Organisation.objects.exclude(siret="").order_by("pk")
        }
        self.sites = {
            (s.organisation_id, s.commune_id): s
            for s in Site.objects.exclude(commune=None).order_by("pk")
        }
        self.offerings = {
            o.lheo_id: o for o in Offering.objects.exclude(lheo_id="").order_by("pk")
        }
        self.created = {"certifications": 0, "organisations": 0, "sites": 0}

    def certification(self, formation: Formation) -> Certification:
        certification = self.certifications.get(formation.rncp_code)
        if certification is not None:
            return certification
        if formation.level is None:
            raise SkippedRow("certification inconnue sans niveau de sortie")
        certification = Certification(
            title=formation.title,
            diploma_type=formation.diploma_type,
            level=formation.level,
            rncp_code=formation.rncp_code,
            nsf_code=formation.nsf_codes[0] if formation.nsf_codes else "",
            rome_codes=", ".join(formation.rome_codes[:10]),
            source=formation.source,
            source_licence=formation.licence,
        )
        certification.save()
        self.certifications[formation.rncp_code] = certification
        self.created["certifications"] += 1
        return certification

    def body(self, action: Action, formation: Formation) -> Organisation:
        organisation = self.bodies.get(action.body.siret)
        if organisation is not None:
            return organisation
        place = action.body.place
        organisation = Organisation(
            name=action.body.name or f"Organisme {action.body.siret}",
            kind=BODY_KINDS[action.route],
            siret=action.body.siret,
            address=place["address"],
            postal_code=place["postal_code"],
            commune=self.communes.get(place["commune_code"])
            or Commune.objects.filter(insee_code=place["commune_code"]).first(),
            latitude=place.get("latitude"),
            longitude=place.get("longitude"),
            source=formation.source,
            source_licence=formation.licence,
        )
        organisation.save()
        self.bodies[action.body.siret] = organisation
        self.created["organisations"] += 1
        return organisation

    def site(self, action: Action, organisation: Organisation) -> Site | None:
        commune = self.communes.get(action.place["commune_code"])
        if commune is None or commune.pk == organisation.commune_id:
            return None
        site = self.sites.get((organisation.pk, commune.pk))
        if site is None:
            site = Site(
                organisation=organisation,
                name=f"{organisation.name} — {commune.name}"[:200],
                address=action.place["address"],
                commune=commune,
                latitude=action.place["latitude"],
                longitude=action.place["longitude"],
            )
            site.save()
            self.sites[organisation.pk, commune.pk] = site
            self.created["sites"] += 1
        return site

    def offering(self, action: Action, formation: Formation) -> None:
        organisation = self.body(action, formation)
        wanted = {
            "certification": self.certification(formation),
            "organisation": organisation,
            "site": self.site(action, organisation),
            "route": action.route,
            "duration": action.duration,
            "start_dates": action.start_dates,
            "url": action.url,
        }
        offering = self.offerings.get(action.identifier)
        if offering is None:
            offering = Offering(
                lheo_id=action.identifier,
                source=formation.source,
                source_licence=formation.licence,
                **wanted,
            )
            offering.save()
            self.offerings[action.identifier] = offering
            self.report.created += 1
            return
        if all(getattr(offering, f) == wanted[f] for f in OFFERING_FIELDS):
            self.report.unchanged += 1
            return
        for name, value in wanted.items():
            setattr(offering, name, value)
        offering.save()
        self.report.updated += 1


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    profile = SectorProfile.load()
    sector, sector_rome = Sector(profile), set(profile.rome_code_list)
    departements = campus_departements()
    persister = Persister(report, communes_of(departements))
    seen: set[str] = set()
    for formation in read_formations(path, progress):
        line = formation.number
        if not formation.actions:
            report.rows_read += 1
            report.skip(line, "formation sans action")
            continue
        for action in formation.actions:
            report.rows_read += 1
            try:
                if not formation.rncp_code:
                    raise SkippedRow("formation sans code RNCP")
                if not (
                    sector.includes(formation.title, formation.nsf_codes)
                    or sector_rome & set(formation.rome_codes)
                ):
                    raise SkippedRow("formation hors de la filière")
                if not action.place["commune_code"] or not in_departements(
                    action.place["commune_code"], departements
                ):
                    raise SkippedRow(
                        "lieu de formation hors des départements du campus"
                    )
                if action.identifier in seen:
                    raise SkippedRow("action en double dans le fichier")
                seen.add(action.identifier)
                persister.offering(action, formation)
            except SkippedRow as skipped:
                report.skip(line, skipped.reason)
    report.summary = {
        "title": "Ajouts au réseau et au catalogue",
        "columns": ["certifications créées", "organismes créés", "sites créés"],
        "rows": [list(persister.created.values())],
    }
    progress.finish()
