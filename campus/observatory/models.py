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
