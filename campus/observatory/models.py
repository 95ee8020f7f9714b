from django.db import models

from campus.profiles.models import validate_naf_codes


class IndicatorKey(models.TextChoices):
    # Urssaf, private-sector employers.
    ESTABLISHMENTS = "establishments", "Établissements employeurs"
    SALARIED_HEADCOUNT = "salaried_headcount", "Effectifs salariés"
    # Sirene, every establishment whatever its payroll.
    ACTIVE_ESTABLISHMENTS = "active_establishments", "Établissements actifs"
    CREATIONS = "creations", "Créations d'établissements"
    CLOSURES = "closures", "Fermetures d'établissements"
    CRAFT_ESTABLISHMENTS = (
        "craft_establishments",
        "Établissements inscrits au répertoire des métiers",
    )
    # The catalogue and outreach, aggregated for the observatory.
    OFFERINGS = "offerings", "Offres de formation"
    INTERVENTIONS = "interventions", "Interventions en établissement scolaire"
    PUPILS_REACHED = "pupils_reached", "Élèves sensibilisés"
    CLASSES_REACHED = "classes_reached", "Classes sensibilisées"


class KeyFigureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class KeyFigure(models.Model):
    """A figure of the sector's weight, always shown with its source."""

    label = models.CharField("intitulé", max_length=250)
    # Empty for a figure computed only (an `indicator_key` and no typed value).
    value = models.DecimalField(
        "valeur saisie",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Vide : le chiffre est seulement calculé à partir de l'indicateur.",
    )
    unit = models.CharField("unité", max_length=60, blank=True)
    period = models.CharField(
        "période", max_length=40, blank=True, help_text="Ex. 2020/2021"
    )
    territory = models.CharField("territoire", max_length=120, blank=True)
    source_label = models.CharField("source", max_length=250, blank=True)
    source_url = models.URLField("adresse de la source", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    # The same figure computed from the stored indicators, shown beside the typed
    # one (see `key_figures.py`); empty key: a typed figure only.
    indicator_key = models.CharField(
        "indicateur calculé",
        max_length=40,
        choices=IndicatorKey.choices,
        blank=True,
        help_text="Laissez vide pour un chiffre saisi seulement.",
    )
    indicator_naf_codes = models.CharField(
        "codes NAF de l'indicateur",
        max_length=200,
        blank=True,
        validators=[validate_naf_codes],
        help_text="Séparés par des virgules ; vide : ceux du profil de la filière.",
    )
    indicator_territory = models.CharField(
        "territoire de l'indicateur",
        max_length=10,
        blank=True,
        help_text="Vide ou « region » : la région ; « france » ; un code de "
        "département (21) ; le code INSEE d'une commune (21425).",
    )
    indicator_year = models.PositiveSmallIntegerField(
        "année de l'indicateur",
        null=True,
        blank=True,
        help_text="Vide : la dernière année importée.",
    )
    # The figure computed from the indicators, stored by `key_figures.store_computed`
    # whenever its inputs change (the figure, the profiles, an import, the nightly
    # refresh), so that the pages read it instead of summing indicators per visit.
    # Empty value: nothing computed.
    computed_value = models.DecimalField(
        "valeur calculée",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    computed_year = models.PositiveSmallIntegerField(
        "année calculée", null=True, blank=True, editable=False
    )
    computed_period = models.CharField(
        "période calculée", max_length=20, blank=True, editable=False
    )
    computed_territory = models.CharField(
        "territoire calculé", max_length=120, blank=True, editable=False
    )
    computed_source = models.CharField(
        "source calculée", max_length=100, blank=True, editable=False
    )
    computed_licence = models.CharField(
        "licence calculée", max_length=100, blank=True, editable=False
    )
    computed_imported_at = models.DateTimeField(
        "import de la source calculée", null=True, blank=True, editable=False
    )

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.label} ({self.period})"

    @property
    def display_value(self) -> str:
        if self.value is None:
            return ""
        integral = self.value == self.value.to_integral_value()
        number = f"{self.value:,.0f}" if integral else f"{self.value:,.2f}"
        return number.replace(",", "\u202f").replace(".", ",")


class TerritoryLevel(models.TextChoices):
    COMMUNE = "commune", "Commune"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    FRANCE = "france", "France"


class Indicator(models.Model):
    """A yearly figure of one territory, from open data or the campus's own records.

    `naf_code` is empty for figures that are not about one activity (trainings,
    outreach), and for a commune's Urssaf total over all the sector's codes (see
    `urssaf.store_commune_totals`); `breakdown` is a second dimension when a figure
    has one (a size band, a level and route…), empty otherwise. France's territory
    code is "FR".
    """

    key = models.CharField("indicateur", max_length=40, choices=IndicatorKey.choices)
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    breakdown = models.CharField("ventilation", max_length=40, blank=True, default="")
    territory_level = models.CharField(
        "niveau de territoire", max_length=20, choices=TerritoryLevel.choices
    )
    territory_code = models.CharField("code du territoire", max_length=10)
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=100)
    source_licence = models.CharField("licence de la source", max_length=100)

    class Meta:
        verbose_name = "indicateur"
        ordering = [
            "key",
            "naf_code",
            "breakdown",
            "territory_level",
            "territory_code",
            "year",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "key",
                    "naf_code",
                    "breakdown",
                    "territory_level",
                    "territory_code",
                    "year",
                ],
                name="indicator_unique_per_year",
            )
        ]
        indexes = [
            models.Index(
                fields=["key", "territory_level", "territory_code", "year"],
                name="indicator_territory_idx",
            ),
            # One year of a level's territories (the communes of a département).
            models.Index(
                fields=["key", "territory_level", "year", "territory_code"],
                name="indicator_level_year_idx",
            ),
            # The same for the rows of no NAF code, such as the communes' totals of
            # the sector: among every code's rows, they are a few in thirty.
            models.Index(
                fields=["key", "territory_level", "year", "territory_code"],
                condition=models.Q(naf_code=""),
                name="indicator_no_naf_year_idx",
            ),
        ]

    def __str__(self):
        parts = [self.get_key_display(), self.naf_code, self.breakdown]
        parts += [self.territory_code, str(self.year)]
        return " ".join(part for part in parts if part) + f" : {self.value}"


class ActivityLabel(models.Model):
    """The published label of a NAF code, as a source names it beside its figures.

    The sector profile lists codes only; the Urssaf file writes each code with its
    label (`1512Z Fabrication d'articles de voyage…`), and the observatory shows it.
    """

    naf_code = models.CharField("code NAF", max_length=6, unique=True)
    label = models.CharField("intitulé", max_length=250)
    source = models.CharField("source", max_length=100)

    class Meta:
        verbose_name = "intitulé d'activité"
        verbose_name_plural = "intitulés d'activité"
        ordering = ["naf_code"]

    def __str__(self):
        return f"{self.naf_code} {self.label}"


class OfferedCertification(models.Model):
    """Where a certification of the catalogue is taught, per territory: its
    published offerings there and the names of their communes.

    `aggregates.refresh_certifications` rewrites every row after an import of the
    catalogue and each night, so that the two certification lists of the
    « Formation » theme read a few hundred rows, never the catalogue. A territory
    where the certification has no published offering has no row. France's rows
    count every published offering and leave `communes` empty: no page lists the
    communes of France.
    """

    certification = models.ForeignKey(
        "trainings.Certification",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="certification",
    )
    territory_level = models.CharField(
        "niveau de territoire", max_length=20, choices=TerritoryLevel.choices
    )
    territory_code = models.CharField("code du territoire", max_length=10)
    offerings = models.PositiveIntegerField("offres de formation publiées")
    communes = models.TextField(
        "communes", blank=True, help_text="Noms des communes, triés, séparés par « , »."
    )

    class Meta:
        verbose_name = "certification offerte dans un territoire"
        verbose_name_plural = "certifications offertes dans un territoire"
        ordering = ["territory_level", "territory_code", "certification"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "territory_level", "territory_code"],
                name="offered_certification_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["territory_level", "territory_code"],
                name="offered_certification_terr_idx",
            )
        ]

    def __str__(self):
        return f"{self.certification_id} {self.territory_code} : {self.offerings}"
