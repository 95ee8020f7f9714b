"""The campus's open datasets: what /donnees/ lists and what data.gouv.fr harvests.

Each dataset names its rows (the public QuerySet of its list), its download (the
« Télécharger » export of the list, campus/api/downloads.py), its page and its API
endpoint once the API answers there. Its licence is the Licence Ouverte 2.0 for the
campus's own data, and the ODbL as soon as one published row carries data whose
source is under it (ONISEP's data is: the offerings and certifications imported from
it say so in their `source_licence`). Its update date is read from the data.

The machine-readable catalogue is DCAT-AP in JSON-LD (`dcat:Catalog` of
`dcat:Dataset`s, each with `dcat:Distribution`s carrying `dcat:downloadURL`,
`dcat:mediaType`, `dct:license`, `dct:modified`): the vocabulary data.gouv.fr's
DCAT harvester reads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse

from campus.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE


@dataclass(frozen=True)
class Licence:
    title: str
    url: str


LICENCE_OUVERTE = Licence(
    "Licence Ouverte / Open Licence 2.0",
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
)
ODBL = Licence(
    "Open Database License (ODbL) 1.0",
    "https://opendatacommons.org/licenses/odbl/1-0/",
)
ODBL_ROWS = Q(source_licence__icontains="odbl")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    page: str  # URL name of the public page
    keywords: tuple[str, ...]
    # The published rows, whose updated dates and licences count.
    rows: Callable
    # Rows that bring ODbL data into the dataset.
    odbl: Callable
    # Name of the export in campus/api/downloads.py, or None.
    export: str | None = None
    # The list of the open-data API serving the same rows (campus/api/endpoints/).
    api_path: str = ""
    # When the rows carry no update date: the last import of these sources.
    import_sources: tuple[str, ...] = ()

    def licence(self) -> Licence:
        return ODBL if self.odbl().exists() else LICENCE_OUVERTE

    def modified(self):
        if self.import_sources:
            from campus.opendata.models import ImportRun

            run = ImportRun.objects.last_success(list(self.import_sources))
            return run.finished_at if run else None
        return self.rows().aggregate(last=Max("updated_at"))["last"]

    def distributions(self) -> list[dict]:
        """The files and endpoints of the dataset: format, media type, address."""
        found = []
        if self.export:
            for extension, label, media_type in (
                ("csv", "CSV", CSV_CONTENT_TYPE.split(";")[0]),
                ("xlsx", "XLSX", XLSX_CONTENT_TYPE),
            ):
                found.append(
                    {
                        "format": label,
                        "media_type": media_type,
                        "path": reverse("api:download", args=[self.export, extension]),
                    }
                )
        if api := self.api_path:
            found.append(
                {"format": "JSON", "media_type": "application/json", "path": api}
            )
        return found


def _organisations():
    from campus.network.models import Organisation

    return Organisation.objects.published()


def _offerings():
    from campus.trainings.models import Offering

    return Offering.objects.published()


def _offerings_odbl():
    return _offerings().filter(
        ODBL_ROWS
        | Q(certification__source_licence__icontains="odbl")
        | Q(source__icontains="onisep")
    )


def _events():
    from campus.agenda.models import Event

    return Event.objects.published()


def _offers():
    from campus.offers.models import Offer

    return Offer.objects.published()


def _indicators():
    from campus.observatory.models import Indicator

    return Indicator.objects.all()


def _observatory_sources() -> tuple[str, ...]:
    from campus.opendata.models import ImportSource

    return (
        ImportSource.SIRENE,
        ImportSource.URSSAF,
        ImportSource.INSERJEUNES,
        ImportSource.DEPP_ETABLISSEMENTS,
    )


def datasets() -> list[Dataset]:
    return [
        Dataset(
            slug="annuaire",
            title="Annuaire des acteurs du réseau",
            description=(
                "Les établissements de formation, entreprises, fédérations et "
                "partenaires publiés dans l'annuaire du campus : type d'acteur, "
                "identifiants SIRET et UAI, adresse, commune, coordonnées "
                "géographiques et coordonnées de contact publiques."
            ),
            page="network:directory",
            keywords=("annuaire", "établissements", "entreprises"),
            rows=_organisations,
            odbl=lambda: _organisations().filter(ODBL_ROWS),
            export="annuaire",
            api_path="/api/v1/organisations",
        ),
        Dataset(
            slug="formations",
            title="Offre de formation",
            description=(
                "Les formations publiées au catalogue : certification, niveau, type "
                "de diplôme, voie (scolaire, apprentissage, formation continue), "
                "établissement, commune, dates d'inscription et source de chaque "
                "ligne."
            ),
            page="trainings:catalogue",
            keywords=("formations", "certifications", "apprentissage"),
            rows=_offerings,
            odbl=_offerings_odbl,
            export="formations",
            api_path="/api/v1/formations",
        ),
        Dataset(
            slug="agenda",
            title="Agenda des événements",
            description=(
                "Les événements publiés à venir : portes ouvertes, salons, ateliers, "
                "conférences ; dates, lieu, organisateur, tarif et déroulement."
            ),
            page="agenda:event_list",
            keywords=("agenda", "événements", "portes ouvertes"),
            rows=_events,
            odbl=lambda: _events().none(),
            export="agenda",
            api_path="/api/v1/evenements",
        ),
        Dataset(
            slug="offres",
            title="Offres de stage, d'apprentissage et d'emploi",
            description=(
                "Les offres ouvertes publiées par les partenaires du campus : type "
                "d'offre, métier (code ROME), diplôme préparé, commune, date de "
                "début et durée."
            ),
            page="offers:offer_list",
            keywords=("offres", "apprentissage", "stages", "emploi"),
            rows=_offers,
            odbl=lambda: _offers().none(),
            export="offres",
            api_path="/api/v1/offres",
        ),
        Dataset(
            slug="observatoire",
            title="Indicateurs de l'observatoire",
            description=(
                "Les chiffres de l'observatoire de la filière par territoire et par "
                "année : établissements, emploi, formations, insertion. Chaque "
                "tableau se télécharge en CSV et XLSX depuis sa page, avec sa "
                "source et sa licence."
            ),
            page="observatory:home",
            keywords=("observatoire", "emploi", "statistiques"),
            rows=_indicators,
            odbl=lambda: _indicators().filter(ODBL_ROWS),
            api_path="/api/v1/indicateurs",
            import_sources=_observatory_sources(),
        ),
    ]


def absolute(path: str) -> str:
    return settings.CAMPUS_SITE_URL + path


def dcat_catalogue(*, title: str, description: str, publisher: str) -> dict:
    """The catalogue as DCAT-AP JSON-LD (a dict to serialise)."""
    entries = []
    for dataset in datasets():
        licence = dataset.licence()
        modified = dataset.modified()
        page = absolute(reverse(dataset.page))
        entry = {
            "@id": absolute(reverse("api:datasets")) + f"#{dataset.slug}",
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.slug,
            "dct:title": dataset.title,
            "dct:description": dataset.description,
            "dcat:keyword": list(dataset.keywords),
            "dcat:landingPage": {"@id": page},
            "dct:license": {"@id": licence.url},
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
            "dct:language": {
                "@id": "http://publications.europa.eu/resource/authority/language/FRA"
            },
            "dcat:distribution": [],
        }
        if modified:
            entry["dct:modified"] = {
                "@value": modified.isoformat(),
                "@type": "xsd:dateTime",
            }
        for distribution in dataset.distributions():
            url = absolute(distribution["path"])
            entry["dcat:distribution"].append(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "dct:title": f"{dataset.title} ({distribution['format']})",
                    "dct:format": distribution["format"],
                    "dcat:mediaType": distribution["media_type"],
                    "dcat:accessURL": {"@id": url},
                    "dcat:downloadURL": {"@id": url},
                    "dct:license": {"@id": licence.url},
                    **({"dct:modified": entry["dct:modified"]} if modified else {}),
                }
            )
        if not entry["dcat:distribution"]:
            # Figures downloaded one by one from the page: the page is the access.
            entry["dcat:distribution"].append(
                {
                    "@id": page,
                    "@type": "dcat:Distribution",
                    "dct:title": f"{dataset.title} (pages de l'observatoire)",
                    "dct:format": "HTML",
                    "dcat:mediaType": "text/html",
                    "dcat:accessURL": {"@id": page},
                    "dct:license": {"@id": licence.url},
                }
            )
        entries.append(entry)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("api:dataset_catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:description": description,
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "foaf:homepage": {"@id": absolute(reverse("api:datasets"))},
        "dct:language": {
            "@id": "http://publications.europa.eu/resource/authority/language/FRA"
        },
        "dcat:dataset": entries,
    }
