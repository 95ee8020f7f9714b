from django.db import models


class ScheduledJobRunQuerySet(models.QuerySet):
    def latest_per_job(self) -> dict[str, "ScheduledJobRun"]:
        runs = {}
        for run in self.order_by("job", "-started_at", "-pk"):
            runs.setdefault(run.job, run)
        return runs


class Outcome(models.TextChoices):
    RUNNING = "running", "En cours"
    SUCCEEDED = "succeeded", "Réussie"
    FAILED = "failed", "En échec"


class ScheduledJobRun(models.Model):
    """One run of a job of campus/operations/schedule.py; the latest start of a
    job decides when it is next due."""

    job = models.CharField("tâche", max_length=100)
    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    outcome = models.CharField(
        "résultat", max_length=20, choices=Outcome.choices, default=Outcome.RUNNING
    )
    output = models.TextField("sortie (fin)", blank=True)

    objects = ScheduledJobRunQuerySet.as_manager()

    class Meta:
        verbose_name = "exécution planifiée"
        verbose_name_plural = "exécutions planifiées"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self):
        return f"{self.job} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at
