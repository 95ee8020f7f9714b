"""What partners propose and the campus team publishes: one status for every app.

Events, news, and later offers and calls, go through the same steps: a partner
proposes (« submitted »), the team publishes or refuses with a reason sent to
the author; the team publishes its own directly. Only « published » rows are
public (each app's `published()` QuerySet method says so).
"""

from django.db import models
from django.utils import timezone


class ModerationStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "En attente de validation"
    PUBLISHED = "published", "Publié"
    REFUSED = "refused", "Refusé"


class ModeratedModel(models.Model):
    """The moderation fields of a proposed row: status, reason and who decided."""

    status = models.CharField(
        "statut",
        max_length=12,
        choices=ModerationStatus.choices,
        default=ModerationStatus.DRAFT,
        db_index=True,
    )
    refusal_reason = models.TextField("motif du refus", blank=True, max_length=2000)
    submitted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposé par",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    # The fields record_decision() sets, for a save(update_fields=...).
    DECISION_FIELDS = ["status", "refusal_reason", "decided_by", "decided_at"]

    def record_decision(self, status: str, acting_user, reason: str = "") -> None:
        """Notes the team's decision: the status, the refusal reason (empty
        otherwise), who decided and when; the caller saves."""
        self.status = status
        self.refusal_reason = reason
        self.decided_by = acting_user
        self.decided_at = timezone.now()

    def submit(self, acting_user) -> None:
        """Sends the row (back) to the team: submitted by this user, any earlier
        decision forgotten; the caller saves."""
        self.status = ModerationStatus.SUBMITTED
        self.submitted_by = acting_user
        self.refusal_reason = ""
        self.decided_by = None
        self.decided_at = None

    @property
    def is_published(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED
