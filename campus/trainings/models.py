"""Certifications of the sector and their offerings at the schools of the network.

An offering copies its place (commune, département, coordinates), whether its
organisation is published, its certification's title, level and diploma type,
and its folded search text from its certification,
organisation and site when saved, so the catalogue and the map filter one table
without joins even at national scale (SQLite's planner otherwise walks the
organisation index and takes seconds at 300,000 offerings).
`campus.trainings.signals` keeps those copies in step when the sources change.
"""

import re
from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from campus.network.models import Organisation
from campus.ownership import OwnedQuerySet
from campus.profiles.models import NSF_CODE, split_codes, validate_rome_codes
from campus.search import expand_terms, filter_by_groups, fold_parts
from campus.slugs import unique_slug
from campus.trainings.permissions import offering_policy

RNCP_CODE = re.compile(r"^RNCP\d{1,6}$")


class DiplomaType(models.TextChoices):
    CAP = "cap", "CAP"
    BMA = "bma", "BMA (brevet des métiers d'art)"
    BAC_PRO = "bac_pro", "Bac pro"
    BP = "bp", "BP (brevet professionnel)"
    DMA = "dma", "DMA (diplôme des métiers d'art)"
    BTS = "bts", "BTS"
    DN_MADE = "dn_made", "DN MADe"
    LICENCE_PRO = "licence_pro", "Licence professionnelle"
    MASTER = "master", "Master"
    TITRE_PRO = "titre_pro", "Titre professionnel"
    CQP = "cqp", "CQP (certificat de qualification professionnelle)"
    OTHER = "other", "Autre certification"


class Level(models.IntegerChoices):
    LEVEL_3 = 3, "Niveau 3 (CAP)"
    LEVEL_4 = 4, "Niveau 4 (bac)"
    LEVEL_5 = 5, "Niveau 5 (bac + 2)"
    LEVEL_6 = 6, "Niveau 6 (bac + 3)"
    LEVEL_7 = 7, "Niveau 7 (bac + 5)"
    LEVEL_8 = 8, "Niveau 8 (doctorat)"


class Route(models.TextChoices):
    SCHOOL = "school", "Voie scolaire"
    APPRENTICESHIP = "apprenticeship", "Apprentissage"
    CONTINUING = "continuing", "Formation continue"


class Certification(models.Model):
    """A diploma or title of the national framework, whatever the school teaching it."""

    title = models.CharField("intitulé", max_length=250)
    slug = models.SlugField("identifiant d'adresse", max_length=260, unique=True)
    diploma_type = models.CharField(
        "type de diplôme", max_length=20, choices=DiplomaType.choices
    )
    level = models.PositiveSmallIntegerField(
        "niveau du cadre national", choices=Level.choices
    )
    rncp_code = models.CharField(
        "code RNCP",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                RNCP_CODE.pattern, "Code RNCP invalide (exemple : RNCP38431)."
            )
        ],
    )
    nsf_code = models.CharField(
        "code NSF",
        max_length=4,
        blank=True,
        validators=[
            RegexValidator(NSF_CODE.pattern, "Code NSF invalide (exemple : 243).")
        ],
        help_text="Domaine de formation (nomenclature des spécialités de formation).",
    )
    onisep_id = models.CharField("identifiant ONISEP", max_length=30, blank=True)
    cfd_code = models.CharField(
        "code formation diplôme (CFD)",
        max_length=8,
        blank=True,
        help_text="Code du diplôme dans la base centrale des nomenclatures (BCN).",
    )
    rome_codes = models.CharField(
        "métiers visés (codes ROME)",
        max_length=200,
        blank=True,
        validators=[validate_rome_codes],
        help_text="Séparés par des virgules, par exemple « B1802, H2411 ».",
    )
    description = models.TextField("présentation", blank=True, max_length=5000)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    certifiers = models.TextField(
        "certificateurs", blank=True, help_text="Un organisme certificateur par ligne."
    )
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "certification"
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Certification, self.title, max_length=260, default="certification"
            )
        self.rncp_code = self.rncp_code.strip().upper()
        self.rome_codes = ", ".join(split_codes(self.rome_codes.upper()))
        self.search_text = fold_parts(
            self.title,
            self.get_diploma_type_display(),
            self.rncp_code,
            self.nsf_code,
            self.rome_codes,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trainings:certification_detail", kwargs={"slug": self.slug})

    @property
    def rome_code_list(self) -> list[str]:
        return split_codes(self.rome_codes)


class SkillBlockQuerySet(models.QuerySet):
    def matching(self, text: str, synonyms=None):
        """Blocks whose code, title, skills or assessment hold every meaningful
        word of `text` (or one of its synonyms), whatever its accents, case or
        French ending: « piqûre sellier » finds « Piquer à la sellier… »."""
        groups = block_search_groups(text, synonyms)
        if not groups:
            return self.none()
        return filter_by_groups(self, groups)


# Words a question holds that no block is about: « quelles formations enseignent
# la piqûre sellier ? » searches « piqûre sellier ».
STOP_WORDS = frozenset(
    "a au aux avec bloc blocs ce ces comment competence competences dans de des du "
    "en enseigne enseignent est et formation formations la le les leur ou par pour "
    "quel quelle quelles quels qui que quoi sur un une".split()
)


def block_search_groups(text: str, synonyms=None) -> list[tuple[str, ...]]:
    """The query's meaningful words, each with its synonyms, without their French
    endings (so « sellerie » and « sellier » meet)."""
    from campus.trainings.filters import stem  # filters imports this module

    return [
        tuple(dict.fromkeys(stem(word) for word in alternatives))
        for alternatives in expand_terms(text, synonyms)
        if alternatives[0] not in STOP_WORDS and len(alternatives[0]) > 1
    ]


class SkillBlock(models.Model):
    """A block of skills of a certification, which can be certified on its own.

    The RNCP's XML export gives its skills and how they are assessed; its CSV
    export gives only the code and title, so those two texts may be empty.
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="skill_blocks"
    )
    code = models.CharField("code du bloc", max_length=20, blank=True)
    title = models.CharField("intitulé", max_length=300)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    skills = models.TextField(
        "compétences", blank=True, help_text="Une compétence par ligne."
    )
    assessment = models.TextField("modalités d'évaluation", blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = SkillBlockQuerySet.as_manager()

    class Meta:
        verbose_name = "bloc de compétences"
        verbose_name_plural = "blocs de compétences"
        ordering = ["certification", "order", "pk"]

    def __str__(self):
        return f"{self.code} — {self.title}" if self.code else self.title

    def save(self, *args, **kwargs):
        self.search_text = self.folded_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.certification.get_absolute_url()}#{self.anchor}"

    def folded_text(self) -> str:
        return fold_parts(self.code, self.title, self.skills, self.assessment)

    @property
    def anchor(self) -> str:
        return f"bloc-{self.pk}"

    @property
    def skill_list(self) -> list[str]:
        """The skills one a line, without the bullets they were typed with."""
        return [
            line.strip().lstrip("-•*–").strip()
            for line in self.skills.splitlines()
            if line.strip().lstrip("-•*–").strip()
        ]


ROUTE_LABELS = dict(Route.choices)
LEVEL_LABELS = dict(Level.choices)
DIPLOMA_TYPE_LABELS = dict(DiplomaType.choices)


class OfferingQuerySet(OwnedQuerySet):
    policy = offering_policy

    def published(self):
        return self.filter(is_published=True, organisation_published=True)


class Offering(models.Model):
    """A certification taught at a site of an organisation, by one route."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name="certification",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="offerings",
        verbose_name="organisation",
    )
    site = models.ForeignKey(
        "network.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name="site",
        help_text="Laissez vide si la formation a lieu au siège de l'organisation.",
    )
    route = models.CharField("voie", max_length=20, choices=Route.choices)
    duration = models.CharField(
        "durée", max_length=100, blank=True, help_text="Par exemple « 2 ans »."
    )
    start_dates = models.CharField(
        "dates de rentrée",
        max_length=200,
        blank=True,
        help_text="Par exemple « septembre » ou « entrées et sorties permanentes ».",
    )
    enrolment_opens = models.DateField(
        "inscriptions à partir du", null=True, blank=True
    )
    enrolment_closes = models.DateField("inscriptions jusqu'au", null=True, blank=True)
    how_to_apply = models.TextField(
        "comment candidater",
        blank=True,
        max_length=3000,
        help_text="Plateforme (Parcoursup, Affelnet…), dossier, entretien, contact.",
    )
    capacity = models.PositiveSmallIntegerField("places", null=True, blank=True)
    url = models.URLField(
        "page de la formation sur le site de l'établissement", blank=True
    )
    is_published = models.BooleanField("publiée", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    onisep_id = models.CharField(
        "identifiant ONISEP de l'action de formation",
        max_length=30,
        blank=True,
        db_index=True,
    )
    lheo_id = models.CharField(
        "identifiant Lhéo de l'action de formation (Carif-Oref)",
        max_length=60,
        blank=True,
        db_index=True,
    )
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    title = models.CharField(max_length=250, editable=False, default="")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, editable=False, default=Level.LEVEL_3
    )
    diploma_type = models.CharField(
        max_length=20, choices=DiplomaType.choices, editable=False, default=""
    )
    departement_code = models.CharField(max_length=3, blank=True, editable=False)
    organisation_published = models.BooleanField(default=True, editable=False)
    latitude = models.FloatField(null=True, editable=False)
    longitude = models.FloatField(null=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    skill_blocks = models.ManyToManyField(
        SkillBlock,
        blank=True,
        related_name="offerings",
        verbose_name="blocs de compétences préparés",
        help_text=(
            "Pour une formation courte ou modulaire : les blocs de la certification "
            "qu'elle prépare. Laissez vide si elle prépare la certification entière."
        ),
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = "offre de formation"
        verbose_name_plural = "offres de formation"
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["title", "id"], name="offering_title"),
            models.Index(fields=["level"], name="offering_level"),
            models.Index(fields=["departement_code"], name="offering_departement"),
            models.Index(fields=["latitude", "longitude"], name="offering_position"),
            models.Index(fields=["route"], name="offering_route"),
        ]

    def __str__(self):
        return (
            f"{self.certification} — {self.organisation} ({self.get_route_display()})"
        )

    def save(self, *args, **kwargs):
        self.copy_from_sources()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trainings:offering_detail", kwargs={"pk": self.pk})

    # A catalogue card shows these three for each row. Django's get_FOO_display()
    # builds a dict of the field's choices at every call (a tenth of the rows'
    # rendering); these read dicts built once.
    def get_route_display(self):
        return ROUTE_LABELS.get(self.route, self.route)

    def get_level_display(self):
        return LEVEL_LABELS.get(self.level, self.level)

    def get_diploma_type_display(self):
        return DIPLOMA_TYPE_LABELS.get(self.diploma_type, self.diploma_type)

    def copy_from_sources(self) -> None:
        place = (
            self.site if self.site_id and self.site.commune_id else self.organisation
        )
        self.commune = place.commune
        self.departement_code = (
            place.commune.departement.code if place.commune_id else ""
        )
        self.latitude, self.longitude = place.latitude, place.longitude
        self.organisation_published = self.organisation.is_published
        certification = self.certification
        self.title = certification.title
        self.level = certification.level
        self.diploma_type = certification.diploma_type
        self.search_text = fold_parts(
            self.certification.search_text,
            self.organisation.name,
            self.organisation.acronym,
            self.commune.name if self.commune_id else "",
            self.get_route_display(),
        )

    @property
    def application_guide(self) -> "ApplicationGuide":
        return application_guide(self)


AFFELNET_URL = "https://affectation3e.phm.education.gouv.fr/"
PARCOURSUP_URL = "https://www.parcoursup.gouv.fr/"
AFTER_THIRD_GRADE = {DiplomaType.CAP, DiplomaType.BAC_PRO}
HIGHER_EDUCATION = {
    DiplomaType.BTS,
    DiplomaType.DN_MADE,
    DiplomaType.DMA,
    DiplomaType.LICENCE_PRO,
}


@dataclass(frozen=True)
class ApplicationGuide:
    """How to apply to one offering: the national procedure of its level and
    route, said in a sentence, and the platform when there is one."""

    title: str
    text: str
    platform: str = ""
    platform_url: str = ""


def application_guide(offering: "Offering") -> ApplicationGuide:
    diploma = offering.diploma_type
    if offering.route == Route.APPRENTICESHIP:
        return ApplicationGuide(
            "En apprentissage : un CFA et un employeur",
            "Il faut à la fois une place dans le centre de formation (CFA) et un "
            "employeur qui signe le contrat d'apprentissage. Contactez "
            f"{offering.organisation.name} : il vous dit quand candidater et peut "
            "vous aider à trouver une entreprise. Vous pouvez signer le contrat "
            "jusqu'à trois mois avant ou après le début de la formation.",
        )
    if offering.route == Route.CONTINUING:
        return ApplicationGuide(
            "En formation continue : l'organisme de formation",
            f"Adressez-vous à {offering.organisation.name} : il vous renseigne sur "
            "les prérequis, les dates d'entrée et le financement (compte personnel "
            "de formation, France Travail, employeur, Région).",
        )
    if diploma in AFTER_THIRD_GRADE:
        return ApplicationGuide(
            "Après la 3e : Affelnet",
            "Les vœux se font au printemps de la classe de 3e, avec le collège, sur "
            "le service en ligne Affectation (Affelnet). Pour entrer en cours de "
            "cycle ou après une autre formation, contactez l'établissement.",
            "le service en ligne Affectation",
            AFFELNET_URL,
        )
    if diploma in HIGHER_EDUCATION:
        return ApplicationGuide(
            "Après le bac : Parcoursup",
            "Les vœux se font sur Parcoursup, de janvier à mars, pour une entrée en "
            "septembre. Les dates précises sont publiées chaque année sur la "
            "plateforme.",
            "Parcoursup",
            PARCOURSUP_URL,
        )
    return ApplicationGuide(
        "Candidater auprès de l'établissement",
        f"Cette formation recrute directement : contactez "
        f"{offering.organisation.name} pour connaître les modalités.",
    )


def rate_field(label: str) -> models.DecimalField:
    """A rate as InserJeunes publishes it (57.0; -3.0 for a value added), empty when withheld."""
    return models.DecimalField(
        label, max_digits=5, decimal_places=1, null=True, blank=True
    )


# InserJeunes gives an establishment's figures for all its leavers, and apart for
# each route; an empty route is the whole.
ALL_ROUTES = ""
OUTCOME_ROUTES = [(ALL_ROUTES, "toutes voies (ensemble des sortants)"), *Route.choices]


class EstablishmentGroup(models.TextChoices):
    """Which InserJeunes file an establishment's figures come from: the DEPP
    publishes vocational lycées and CFAs apart, and compares each with its own."""

    LYCEES = "lycees", "lycées (voie professionnelle)"
    CFA = "cfa", "centres de formation d'apprentis"


class InsertionOutcomeQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation).order_by("-cohort", "pk")

    def for_offering(self, offering):
        """The latest figures of this training at this school by this route, else
        the school's own for the route: the training's first."""
        return (
            self.filter(organisation_id=offering.organisation_id, route=offering.route)
            .filter(
                models.Q(certification_id=offering.certification_id)
                | models.Q(certification=None)
            )
            .order_by(
                models.F("certification_id").asc(nulls_last=True), "-cohort", "pk"
            )
        )


class InsertionOutcome(models.Model):
    """What became of an establishment's leavers (InserJeunes, DEPP/DARES).

    A rate left empty was withheld by the source (fewer than 20 leavers): it is
    shown as such, never as zero. Rates are percentages from 0 to 100; the
    value added can be negative.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="insertion_outcomes",
        verbose_name="établissement",
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="insertion_outcomes",
        verbose_name="certification (vide : tout l'établissement)",
    )
    route = models.CharField("voie", max_length=20, choices=OUTCOME_ROUTES, blank=True)
    cohort = models.CharField(
        "promotion", max_length=40, help_text="Ex. « cumul 2023-2024 »."
    )
    establishment_group = models.CharField(
        "fichier InserJeunes",
        max_length=10,
        choices=EstablishmentGroup.choices,
        blank=True,
        help_text="Vide : saisi à la main (comparé aux CFA pour l'apprentissage, "
        "aux lycées sinon).",
    )
    further_study_rate = rate_field("taux de poursuite d'études")
    employment_rate_6_months = rate_field("taux d'emploi à 6 mois")
    expected_employment_rate_6_months = rate_field("taux d'emploi à 6 mois attendu")
    employment_value_added_6_months = rate_field("valeur ajoutée (emploi à 6 mois)")
    employment_rate_12_months = rate_field("taux d'emploi à 12 mois")
    employment_rate_24_months = rate_field("taux d'emploi à 24 mois")
    interrupted_contracts_rate = rate_field(
        "part de contrats d'apprentissage interrompus"
    )
    further_study_share = rate_field("part en poursuite d'études")
    employment_share_6_months = rate_field("part en emploi 6 mois après la sortie")
    other_situations_share = rate_field("part des autres situations")
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )

    objects = InsertionOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = "devenir des sortants"
        verbose_name_plural = "devenir des sortants"
        ordering = ["organisation", "-cohort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "certification", "route", "cohort"],
                name="one_outcome_per_training_and_cohort",
            ),
            # NULLs are distinct in a unique index: the establishment-wide row
            # needs a constraint of its own.
            models.UniqueConstraint(
                fields=["organisation", "route", "cohort"],
                condition=models.Q(certification=None),
                name="one_establishment_outcome_per_cohort",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.cohort}"

    RATES = [
        "further_study_rate",
        "employment_rate_6_months",
        "expected_employment_rate_6_months",
        "employment_value_added_6_months",
        "employment_rate_12_months",
        "employment_rate_24_months",
        "interrupted_contracts_rate",
        "further_study_share",
        "employment_share_6_months",
        "other_situations_share",
    ]

    @property
    def rates(self) -> list[tuple[str, object]]:
        """(label, value or None when withheld) of each rate."""
        return [
            (self._meta.get_field(f).verbose_name, getattr(self, f)) for f in self.RATES
        ]

    @property
    def compared_group(self) -> str:
        """The establishments whose regional average this outcome is compared with."""
        if self.establishment_group:
            return self.establishment_group
        if self.route == Route.APPRENTICESHIP:
            return EstablishmentGroup.CFA
        return EstablishmentGroup.LYCEES


class InsertionAverage(models.Model):
    """The mean of one InserJeunes rate over the establishments of a région.

    Computed at import from every row of the DEPP file in the région, network or
    not (the outcomes keep only the network's): an unweighted mean of the
    diffused rates, since the files give rates, not headcounts. Withheld rates
    (fewer than 20 leavers) are left out of the mean and counted.
    """

    region = models.ForeignKey(
        "places.Region",
        on_delete=models.CASCADE,
        related_name="insertion_averages",
        verbose_name="région",
    )
    establishment_group = models.CharField(
        "établissements", max_length=10, choices=EstablishmentGroup.choices
    )
    route = models.CharField("voie", max_length=20, choices=OUTCOME_ROUTES, blank=True)
    cohort = models.CharField("promotion", max_length=40)
    indicator = models.CharField(
        "indicateur",
        max_length=40,
        choices=[
            (name, InsertionOutcome._meta.get_field(name).verbose_name)
            for name in InsertionOutcome.RATES
        ],
    )
    mean = models.DecimalField(
        "moyenne", max_digits=6, decimal_places=2, null=True, blank=True
    )
    diffused = models.PositiveIntegerField("établissements diffusés")
    withheld = models.PositiveIntegerField("établissements non diffusés")
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )

    class Meta:
        verbose_name = "moyenne régionale d'insertion"
        verbose_name_plural = "moyennes régionales d'insertion"
        ordering = ["region", "-cohort", "establishment_group", "route", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "region",
                    "establishment_group",
                    "route",
                    "cohort",
                    "indicator",
                ],
                name="one_insertion_average_per_indicator",
            )
        ]

    def __str__(self):
        return f"{self.region} — {self.cohort} — {self.indicator}"
