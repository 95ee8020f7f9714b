"""The annual activity report on the label's criteria.

A `Report` is a period (a year, or start and end dates) that the team reports on.
Its sections are the label's criteria (`sections.py`); the team writes one
`Narrative` per section, kept with its history. Each « Produire une version »
makes a `ReportVersion`: the task worker computes the figures of that day and
stores them as JSON with the narratives, the data's import dates and the PDF and
XLSX files, so that a finished version never changes when the data does.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from campus.dates import french_date


class Report(models.Model):
    starts_on = models.DateField("début de la période")
    ends_on = models.DateField("fin de la période")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "rapport d'activité"
        verbose_name_plural = "rapports d'activité"
        ordering = ["-starts_on", "-ends_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["starts_on", "ends_on"], name="reports_one_report_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="reports_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Rapport d'activité {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_calendar_year(self) -> bool:
        return (
            self.starts_on.year == self.ends_on.year
            and (self.starts_on.month, self.starts_on.day) == (1, 1)
            and (self.ends_on.month, self.ends_on.day) == (12, 31)
        )

    @property
    def period_label(self) -> str:
        if self.is_calendar_year:
            return str(self.starts_on.year)
        return f"du {french_date(self.starts_on)} au {french_date(self.ends_on)}"


class Narrative(models.Model):
    """The team's text for one section of one report, in Markdown."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="narratives"
    )
    section = models.SlugField("section", max_length=40)
    text = models.TextField("texte", blank=True, max_length=20_000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="modifié par",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "texte de section"
        verbose_name_plural = "textes de section"
        ordering = ["report", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section"], name="reports_one_narrative_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.section}"


class VersionStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminée"
    FAILED = "failed", "Échec"


def version_file_path(version, filename: str) -> str:
    return f"reports/{version.report_id}/{filename}"


class ReportVersion(models.Model):
    """One frozen edition of a report: what it said on the day it was produced."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("version")
    status = models.CharField(
        "état",
        max_length=10,
        choices=VersionStatus.choices,
        default=VersionStatus.QUEUED,
    )
    # 0 to 100, and the step in progress, written between sections.
    progress = models.PositiveSmallIntegerField("avancement", default=0)
    step = models.CharField("étape", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="produite par",
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    # {"sections": [{"slug", "title", "tables": [...], "narrative": {...}}], ...}
    content = models.JSONField("contenu figé", default=dict, blank=True)
    # Source label -> ISO date of its last successful import, on the day produced.
    import_dates = models.JSONField("dates d'import", default=dict, blank=True)
    pdf = models.FileField("PDF", upload_to=version_file_path, blank=True)
    xlsx = models.FileField("classeur XLSX", upload_to=version_file_path, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "version du rapport"
        verbose_name_plural = "versions du rapport"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="reports_one_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("reports:version_detail", args=[self.report_id, self.number])

    @property
    def is_finished(self) -> bool:
        return self.status in (VersionStatus.DONE, VersionStatus.FAILED)
