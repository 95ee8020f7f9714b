"""Needs surveys: the team asks the network's companies, by e-mail, what they need.

A campaign targets organisations (by kind and département) and gives each one an
invitation. The e-mailed link carries a signature of the invitation's id, salted
with the campaign's, so it needs no account, cannot be forged or moved to another
campaign, and can be written again for the reminder: no token and no e-mail
address is stored. Addresses are read from the organisation (its editors, else its
contact e-mail) when the e-mails leave.

Answers become the organisation's `Need` rows; `SurveyAnswer` keeps which needs a
survey brought, since a need does not record where it came from.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from campus.needs.models import Need
from campus.network.models import Organisation, OrganisationKind

DEFAULT_REMINDER_DAYS = 10
MAX_REMINDER_DAYS = 60


class InvitationStatus(models.TextChoices):
    SENT = "sent", "Envoyée"
    OPENED = "opened", "Ouverte"
    ANSWERED = "answered", "Répondu"
    NO_NEED = "no_need", "Aucun besoin"


class SurveyCampaignQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(sent_at__isnull=False, closes_on__gte=day)


class SurveyCampaign(models.Model):
    title = models.CharField("titre", max_length=200)
    introduction = models.TextField(
        "texte d'introduction",
        max_length=5000,
        help_text="Ce que les entreprises lisent dans l'e-mail et en haut du formulaire.",
    )
    organisation_kind = models.CharField(
        "type d'organisation",
        max_length=40,
        choices=OrganisationKind.choices,
        default=OrganisationKind.COMPANY,
    )
    departement_code = models.CharField(
        "département", max_length=3, blank=True, help_text="Vide : tout le réseau."
    )
    reminder_days = models.PositiveSmallIntegerField(
        "relance après (jours)",
        default=DEFAULT_REMINDER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMINDER_DAYS)],
    )
    closes_on = models.DateField("date de clôture")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = SurveyCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "campagne d'enquête"
        verbose_name_plural = "campagnes d'enquête"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def closes_at(self) -> datetime:
        """The links work until the end of the closing day, in TIME_ZONE."""
        return timezone.make_aware(
            datetime.combine(self.closes_on, time.max),
            timezone.get_default_timezone(),
        )

    def is_open(self, now: datetime | None = None) -> bool:
        return self.sent_at is not None and (now or timezone.now()) <= self.closes_at

    def targets(self):
        """The organisations the campaign asks: of its kind and département, with
        an active editor or a contact e-mail to write to."""
        organisations = Organisation.objects.filter(kind=self.organisation_kind)
        if self.departement_code:
            organisations = organisations.filter(
                commune__departement__code=self.departement_code
            )
        reachable = organisations.exclude(email="") | organisations.filter(
            memberships__role="editor", memberships__user__is_active=True
        )
        return reachable.distinct().order_by("name", "pk")


class SurveyInvitationQuerySet(models.QuerySet):
    def awaiting_reminder(self, now: datetime):
        """Unanswered, never reminded invitations of campaigns still open; whether
        `reminder_days` have passed is each campaign's own (`is_due_for_reminder`)."""
        return self.filter(
            answered_at__isnull=True,
            reminded_at__isnull=True,
            campaign__closes_on__gte=timezone.localdate(now),
        )


class SurveyInvitation(models.Model):
    campaign = models.ForeignKey(
        SurveyCampaign, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name="organisation",
    )
    sent_at = models.DateTimeField("envoyée le")
    reminded_at = models.DateTimeField("relancée le", null=True, blank=True)
    opened_at = models.DateTimeField("ouverte le", null=True, blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    no_need = models.BooleanField("aucun besoin pour le moment", default=False)

    objects = SurveyInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation à l'enquête"
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="one_invitation_per_org"
            )
        ]

    def __str__(self):
        return f"{self.campaign} → {self.organisation}"

    @property
    def status(self) -> str:
        if self.answered_at and not self.no_need:
            return InvitationStatus.ANSWERED
        if self.answered_at:
            return InvitationStatus.NO_NEED
        if self.opened_at:
            return InvitationStatus.OPENED
        return InvitationStatus.SENT

    def is_due_for_reminder(self, now: datetime) -> bool:
        return self.sent_at + timedelta(days=self.campaign.reminder_days) <= now

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label


class SurveyAnswer(models.Model):
    """A need declared through a survey link."""

    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    need = models.OneToOneField(
        Need, on_delete=models.CASCADE, related_name="survey_answer"
    )
    created_at = models.DateTimeField("répondu le", auto_now_add=True)

    class Meta:
        verbose_name = "réponse à l'enquête"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return str(self.need)
