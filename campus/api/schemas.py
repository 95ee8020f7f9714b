"""What the API publishes, field by field, with French keys.

Each record schema is the whole list of public fields of its resource
(`public_fields()`): the endpoints build plain dicts and ninja validates them
against these schemas, so a field that is not declared here never leaves the
server. What is left out on purpose: e-mail addresses and telephone numbers
(of organisations, people and offers), internal notes, partnership agreements,
authors, moderation, registrations and connection links.
"""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field, create_model

LICENCE_OUVERTE = "Licence Ouverte 2.0"
ODBL = "ODbL"


class Error(Schema):
    """Every error answer: a French message, and the invalid parameters if any."""

    detail: str = Field(description="Message en français.")
    erreurs: dict[str, list[str]] | None = Field(
        None, description="Messages par paramètre invalide."
    )


class OrganisationRef(Schema):
    id: int
    slug: str
    nom: str


class Organisation(Schema):
    id: int
    slug: str
    nom: str
    sigle: str
    type: str = Field(description="Code du type d'acteur.")
    type_libelle: str
    description: str
    adresse: str
    code_postal: str
    commune: str | None
    code_commune: str | None = Field(description="Code INSEE.")
    departement: str | None = Field(description="Code du département.")
    latitude: float | None
    longitude: float | None
    site_web: str
    siret: str
    uai: str
    code_naf: str
    tranche_effectif: str
    partenaire: bool = Field(description="Partenaire ou membre fondateur du campus.")
    partenaire_depuis: date | None
    demo: bool = Field(description="Donnée de démonstration, pas officielle.")
    source: str
    licence_source: str
    url: str = Field(description="Page de la fiche sur le site.")
    modifie_le: datetime


class SkillBlock(Schema):
    code: str
    intitule: str
    ordre: int
    competences: list[str]
    modalites_evaluation: str


class Certification(Schema):
    id: int
    slug: str
    intitule: str
    type_diplome: str
    type_diplome_libelle: str
    niveau: int = Field(description="Niveau du cadre national des certifications.")
    code_rncp: str
    code_nsf: str
    code_cfd: str
    identifiant_onisep: str
    codes_rome: list[str]
    description: str
    certificateurs: list[str]
    blocs_competences: list[SkillBlock]
    demo: bool
    source: str
    licence_source: str
    url: str


class CertificationRef(Schema):
    id: int
    slug: str
    intitule: str


class Offering(Schema):
    id: int
    certification: CertificationRef
    intitule: str
    niveau: int
    type_diplome: str
    voie: str
    voie_libelle: str
    organisation: OrganisationRef
    commune: str | None
    code_commune: str | None
    departement: str | None
    latitude: float | None
    longitude: float | None
    duree: str
    dates_rentree: str
    inscriptions_du: date | None
    inscriptions_au: date | None
    comment_candidater: str
    places: int | None
    page_etablissement: str
    identifiant_onisep: str
    demo: bool
    source: str
    licence_source: str
    url: str
    modifie_le: datetime


class Trade(Schema):
    id: int
    slug: str
    nom: str
    resume: str
    description: str
    codes_rome: list[str]
    metier_d_art: bool
    domaine_metiers_art: str | None
    demo: bool
    url: str


class KnowHow(Schema):
    id: int
    slug: str
    nom: str
    description: str
    niveau_menace: str = Field(description="Vide : pas encore évalué.")
    niveau_menace_libelle: str
    evalue_le: date | None
    metiers: list[str] = Field(description="Identifiants (slug) des métiers.")
    demo: bool
    url: str


class Event(Schema):
    id: int
    slug: str
    titre: str
    type: str
    type_libelle: str
    debut: datetime
    fin: datetime
    toute_la_journee: bool
    lieu: str = Field(description="site, address ou online.")
    nom_du_lieu: str
    adresse: str
    commune: str | None
    code_commune: str | None
    latitude: float | None
    longitude: float | None
    organisateur: OrganisationRef
    en_bref: str
    description: str = Field(description="Texte au format Markdown.")
    accessibilite: str
    gratuit: bool
    tarif: str
    deroulement: str = Field(description="scheduled, postponed ou cancelled.")
    precisions_deroulement: str
    inscription: bool
    places: int | None
    demo: bool
    url: str
    modifie_le: datetime


class Article(Schema):
    id: int
    slug: str
    titre: str
    chapeau: str
    texte: str = Field(description="Texte au format Markdown.")
    publie_le: datetime
    rubriques: list[str]
    organisation: OrganisationRef | None
    demo: bool
    url: str
    modifie_le: datetime


class RomeJobRef(Schema):
    code: str
    libelle: str


class Offer(Schema):
    id: int
    titre: str
    contrat: str
    contrat_libelle: str
    metier_rome: RomeJobRef
    certification: CertificationRef | None
    niveau: int | None
    organisation: OrganisationRef
    commune: str
    code_commune: str
    departement: str
    latitude: float | None
    longitude: float | None
    debut: date
    duree_mois: int | None
    postes: int
    description: str
    candidater_en_ligne: str
    visible_jusqu_au: date
    publiee_le: datetime
    demo: bool
    url: str


class Indicator(Schema):
    id: int
    indicateur: str
    indicateur_libelle: str
    code_naf: str
    ventilation: str
    niveau_territoire: str
    code_territoire: str
    annee: int
    valeur: float
    source: str
    licence_source: str


class KeyFigure(Schema):
    id: int
    intitule: str
    valeur: float | None = Field(description="Vide : chiffre seulement calculé.")
    unite: str
    periode: str
    territoire: str
    source: str
    adresse_source: str
    indicateur: str
    ordre: int
    demo: bool


def public_fields(schema) -> tuple[str, ...]:
    """The keys a record of this schema carries: its public fields."""
    return tuple(schema.model_fields)


def page_schema(record, name: str):
    """The envelope of a list: licence, source, records and the next page."""
    return create_model(
        name,
        __base__=Schema,
        licence=(str, Field(description=f"{LICENCE_OUVERTE} ou {ODBL}.")),
        source=(str, ...),
        donnees=(list[record], ...),
        suivant=(
            str | None,
            Field(description="Adresse de la page suivante ; vide à la fin."),
        ),
    )


def item_schema(record, name: str):
    """The envelope of one record: licence, source and the record."""
    return create_model(
        name,
        __base__=Schema,
        licence=(str, ...),
        source=(str, ...),
        donnee=(record, ...),
    )
