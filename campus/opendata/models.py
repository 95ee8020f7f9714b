from datetime import UTC, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from campus.opendata.progress import read_progress


class ImportSource(models.TextChoices):
    COMMUNES = "communes", "Communes de France (data.gouv.fr)"
    SIRENE = "sirene", "Base Sirene des établissements (INSEE)"
    URSSAF = (
        "urssaf",
        "Établissements et effectifs salariés par commune et APE (Urssaf)",
    )
    RNCP = "rncp", "RNCP et RS (France compétences)"
    ROME = "rome", "Référentiel ROME 4.0 (France Travail)"
    INSERJEUNES = "inserjeunes", "InserJeunes par CFA (DEPP, DARES)"
    DEPP_ETABLISSEMENTS = (
        "depp_etablissements",
        "InserJeunes par établissement, lycées professionnels et CFA (DEPP)",
    )
    ONISEP_FORMATIONS = "onisep_formations", "Formations initiales, Idéo (ONISEP)"
    ONISEP_ACTIONS = (
        "onisep_actions",
        "Actions de formation initiale, Idéo (ONISEP)",
    )
    ONISEP_STRUCTURES = (
        "onisep_structures",
        "Structures d'enseignement, Idéo (ONISEP)",
    )
    ONISEP_PASSAGE = (
        "onisep_passage",
        "Table de passage des codes certifications et formations (ONISEP)",
    )
    ONISEP_METIERS = "onisep_metiers", "Métiers, Idéo (ONISEP)"
    LHEO = "lheo", "Offre de formation continue et en apprentissage, Lhéo (Carif-Oref)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    SUCCEEDED = "succeeded", "Terminé"
    FAILED = "failed", "Échec"
    INTERRUPTED = "interrupted", "Interrompu"


class ImportRunQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-created_at", "-pk")

    def running(self):
        return self.filter(status=ImportStatus.RUNNING)

    def succeeded(self):
        """Real imports that went through (dry runs change nothing)."""
        return self.filter(status=ImportStatus.SUCCEEDED, dry_run=False)

    def last_success(self, sources) -> "ImportRun | None":
        """The newest real import of these sources that went through, or None."""
        return (
            self.succeeded().filter(source__in=sources).order_by("-finished_at").first()
        )


class ImportRun(models.Model):
    """One import of one official file: who, when, which file, and what it changed."""

    source = models.CharField("source", max_length=20, choices=ImportSource.choices)
    file_name = models.CharField("fichier", max_length=255)
    uploaded_file = models.FileField(
        "fichier déposé", upload_to="imports/", blank=True, max_length=255
    )
    path = models.CharField("chemin du fichier", max_length=1000, blank=True)
    licence = models.CharField("licence", max_length=100)
    attribution = models.CharField("attribution", max_length=250)
    status = models.CharField(
        "état",
        max_length=20,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
    )
    dry_run = models.BooleanField("simulation", default=False)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lancé par",
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    rows_read = models.PositiveBigIntegerField("lignes lues", default=0)
    created = models.PositiveIntegerField("créés", default=0)
    updated = models.PositiveIntegerField("mis à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    skipped = models.PositiveBigIntegerField("ignorés", default=0)
    skipped_reasons = models.JSONField(
        "raisons des lignes ignorées", default=dict, blank=True
    )
    # The first skipped lines with their reason; the rest are only counted.
    skipped_examples = models.JSONField(
        "premières lignes ignorées", default=list, blank=True
    )
    summary = models.JSONField("résumé", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)
    # One restart per interrupted run, even for two clicks at the same moment.
    restart_of = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="restart",
        verbose_name="relance de",
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = "import de données"
        verbose_name_plural = "imports de données"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_source_display()} — {self.file_name}"

    def get_absolute_url(self):
        return reverse("opendata:run_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {
            ImportStatus.SUCCEEDED,
            ImportStatus.FAILED,
            ImportStatus.INTERRUPTED,
        }

    @cached_property
    def progress(self) -> dict | None:
        """Bytes read and last heartbeat of a running import (see progress.py)."""
        if self.status in {ImportStatus.RUNNING, ImportStatus.INTERRUPTED}:
            return read_progress(self.pk)
        return None

    @property
    def percent(self) -> int:
        if not self.progress or not self.progress["total"]:
            return 0
        return min(100, round(100 * self.progress["done"] / self.progress["total"]))

    @property
    def last_heartbeat(self) -> datetime:
        """When the import last gave news: its progress, or else its start."""
        if self.progress and "at" in self.progress:
            return datetime.fromtimestamp(self.progress["at"], tz=UTC)
        return self.started_at or self.created_at

    @property
    def seems_interrupted(self) -> bool:
        """Marked interrupted, or running without news for CAMPUS_IMPORT_STALE_AFTER.

        Computed, so that reading a page never writes; `mark_interrupted_runs`
        records it.
        """
        if self.status == ImportStatus.INTERRUPTED:
            return True
        if self.status != ImportStatus.RUNNING:
            return False
        stale_after = timedelta(seconds=settings.CAMPUS_IMPORT_STALE_AFTER)
        return timezone.now() - self.last_heartbeat > stale_after

    @property
    def restarted_as(self) -> "ImportRun | None":
        # The reverse side of a one-to-one raises when there is none.
        return getattr(self, "restart", None)

    @property
    def shown_status(self) -> str:
        return ImportStatus.INTERRUPTED if self.seems_interrupted else self.status

    @property
    def shown_status_label(self) -> str:
        return ImportStatus(self.shown_status).label

    @property
    def skipped_reason_list(self) -> list[tuple[str, int]]:
        return sorted(self.skipped_reasons.items(), key=lambda item: -item[1])
