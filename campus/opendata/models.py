from django.conf import settings
from django.db import models
from django.urls import reverse


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


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    SUCCEEDED = "succeeded", "Terminé"
    FAILED = "failed", "Échec"


class ImportRunQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-created_at", "-pk")


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
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

    @property
    def skipped_reason_list(self) -> list[tuple[str, int]]:
        return sorted(self.skipped_reasons.items(), key=lambda item: -item[1])
