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

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from campus.network.models import Organisation
from campus.profiles.models import NSF_CODE, split_codes, validate_rome_codes
from campus.search import fold_parts
from campus.slugs import unique_slug

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


class SkillBlock(models.Model):
    """A block of skills of a certification, which can be certified on its own."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="skill_blocks"
    )
    code = models.CharField("code du bloc", max_length=20, blank=True)
    title = models.CharField("intitulé", max_length=300)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "bloc de compétences"
        verbose_name_plural = "blocs de compétences"
        ordering = ["certification", "order", "pk"]

    def __str__(self):
        return self.title


class OfferingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, organisation_published=True)

    def visible_to(self, user):
        """Published offerings, plus those their organisation's members and the team edit."""
        if user.is_authenticated and user.is_campus_team:
            return self
        if user.is_authenticated:
            return self.filter(
                Q(is_published=True, organisation_published=True)
                | Q(organisation__in=Organisation.objects.member_of(user).values("pk"))
            )
        return self.published()

    def editable_by(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_campus_team:
            return self
        return self.filter(
            organisation__in=Organisation.objects.editable_by(user).values("pk")
        )


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
    open_days = models.TextField(
        "journées portes ouvertes",
        blank=True,
        max_length=2000,
        help_text="Dates et horaires, une journée par ligne.",
    )
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
    def open_day_list(self) -> list[str]:
        return [line.strip() for line in self.open_days.splitlines() if line.strip()]


def rate_field(label: str) -> models.DecimalField:
    """A rate as InserJeunes publishes it (57.0; -3.0 for a value added), empty when withheld."""
    return models.DecimalField(
        label, max_digits=5, decimal_places=1, null=True, blank=True
    )


class InsertionOutcomeQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation).order_by("-cohort", "pk")


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
    route = models.CharField("voie", max_length=20, choices=Route.choices)
    cohort = models.CharField(
        "promotion", max_length=40, help_text="Ex. « cumul 2023-2024 »."
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
    ]

    @property
    def rates(self) -> list[tuple[str, object]]:
        """(label, value or None when withheld) of each rate."""
        return [
            (self._meta.get_field(f).verbose_name, getattr(self, f)) for f in self.RATES
        ]
