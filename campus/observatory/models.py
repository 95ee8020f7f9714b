from django.db import models


class KeyFigureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class KeyFigure(models.Model):
    """A figure of the sector's weight, always shown with its source."""

    label = models.CharField("intitulé", max_length=250)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    unit = models.CharField("unité", max_length=60, blank=True)
    period = models.CharField("période", max_length=40, help_text="Ex. 2020/2021")
    territory = models.CharField("territoire", max_length=120, blank=True)
    source_label = models.CharField("source", max_length=250)
    source_url = models.URLField("adresse de la source", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.label} ({self.period})"

    @property
    def display_value(self) -> str:
        integral = self.value == self.value.to_integral_value()
        number = f"{self.value:,.0f}" if integral else f"{self.value:,.2f}"
        return number.replace(",", "\u202f").replace(".", ",")


class IndicatorKey(models.TextChoices):
    ESTABLISHMENTS = "establishments", "Établissements employeurs"
    SALARIED_HEADCOUNT = "salaried_headcount", "Effectifs salariés"


class TerritoryLevel(models.TextChoices):
    COMMUNE = "commune", "Commune"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"


class Indicator(models.Model):
    """A yearly figure of one activity (NAF code) in one territory, from open data."""

    key = models.CharField("indicateur", max_length=40, choices=IndicatorKey.choices)
    naf_code = models.CharField("code NAF", max_length=6)
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
        ordering = ["key", "naf_code", "territory_level", "territory_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "naf_code", "territory_level", "territory_code", "year"],
                name="indicator_unique_per_year",
            )
        ]

    def __str__(self):
        return (
            f"{self.get_key_display()} {self.naf_code} "
            f"{self.territory_code} {self.year} : {self.value}"
        )
