"""Calls of the campus: calls for projects, competitions, residencies, mobility.

One engine runs every kind of call. The campus team writes a call and its
questions (short text, long text, choice, number, date, file) without code;
people apply with an account, save a draft as they go and submit before the
closing time, which the server enforces (Europe/Paris, to the minute).

An application's answers are one row per question, typed by the question's kind.
Applications and their answers are personal data: they are kept
`APPLICATION_RETENTION_DAYS` after the call closes, then erased.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campus.network.models import Organisation
from campus.ownership import organisation_ids_of
from campus.talent.permissions import (
    applications_editable_by,
    applications_visible_to,
)

# Applications, answers and reviews are erased this long after their call closes.
APPLICATION_RETENTION_DAYS = 3 * 365


class CallKind(models.TextChoices):
    PROJECTS = "projects", "Appel à projets"
    COMPETITION = "competition", "Concours"
    RESIDENCY = "residency", "Résidence d'artiste"
    MOBILITY = "mobility", "Mobilité européenne"
    ENTREPRENEURSHIP = "entrepreneurship", "Accompagnement à l'entrepreneuriat"
    OTHER = "other", "Autre"


class ApplicantKind(models.TextChoices):
    PARTNER = "partner", "Organisations partenaires"
    LEARNER = "learner", "Apprenants (élèves, apprentis, étudiants)"
    ARTISAN = "artisan", "Artisans"
    COMPANY = "company", "Entreprises"


class CallState(models.TextChoices):
    UPCOMING = "upcoming", "À venir"
    OPEN = "open", "Ouvert"
    CLOSED = "closed", "Clos"


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.is_campus_team:
            return self.all()
        return self.published()

    def open_at(self, now):
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Call(models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=220, unique=True)
    kind = models.CharField("type d'appel", max_length=20, choices=CallKind.choices)
    summary = models.CharField("résumé", max_length=300)
    description = models.TextField(
        "description", max_length=20_000, help_text="Texte mis en forme (Markdown)."
    )
    eligibility = models.TextField(
        "conditions d'éligibilité",
        max_length=10_000,
        help_text="Qui peut candidater et à quelles conditions (Markdown).",
    )
    applicant_kinds = models.JSONField(
        "qui peut candidater",
        default=list,
        help_text="Valeurs de ApplicantKind.",
    )
    opens_at = models.DateTimeField("ouverture des candidatures")
    closes_at = models.DateTimeField("clôture des candidatures")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talent_calls",
        verbose_name="organisation partenaire",
        help_text="L'organisation qui porte l'appel avec le campus, le cas échéant.",
    )
    anonymous_review = models.BooleanField(
        "évaluation anonyme",
        default=False,
        help_text="Les évaluateurs ne voient pas l'identité des candidats.",
    )
    is_published = models.BooleanField("publié", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = "appel"
        ordering = ["-closes_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talent:call_detail", args=[self.slug])

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": "La clôture doit être postérieure à l'ouverture."}
            )
        unknown = set(self.applicant_kinds or []) - set(ApplicantKind.values)
        if unknown:
            raise ValidationError(
                {"applicant_kinds": "Type de candidat inconnu : " + ", ".join(unknown)}
            )

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallState.UPCOMING
        if now < self.closes_at:
            return CallState.OPEN
        return CallState.CLOSED

    def is_open(self, now=None) -> bool:
        return self.state(now) == CallState.OPEN

    def get_applicant_kinds_display(self) -> list[str]:
        labels = dict(ApplicantKind.choices)
        return [labels[kind] for kind in self.applicant_kinds if kind in labels]


def call_document_path(document, filename):
    # Public: documents of published calls are served like showcase images.
    return f"appels/{document.call_id}/{filename}"


class CallDocument(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="documents", verbose_name="appel"
    )
    title = models.CharField("titre", max_length=200)
    file = models.FileField("fichier", upload_to=call_document_path)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "document de l'appel"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Texte court"
    LONG_TEXT = "long_text", "Texte long"
    CHOICE = "choice", "Choix dans une liste"
    NUMBER = "number", "Nombre"
    DATE = "date", "Date"
    FILE = "file", "Fichier (PDF ou image)"


class Question(models.Model):
    """A question of a call's form, defined by the team without code.

    `max_length` limits a text, `min_value`/`max_value` a number, `max_file_mb`
    a file; `choices` holds one choice per line.
    """

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="questions", verbose_name="appel"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    label = models.CharField("question", max_length=300)
    help_text = models.CharField("aide", max_length=500, blank=True)
    kind = models.CharField(
        "type de réponse", max_length=20, choices=QuestionKind.choices
    )
    required = models.BooleanField("obligatoire", default=True)
    choices = models.TextField(
        "choix possibles", blank=True, help_text="Un choix par ligne."
    )
    max_length = models.PositiveIntegerField(
        "nombre maximal de caractères", null=True, blank=True
    )
    min_value = models.DecimalField(
        "valeur minimale", max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        "valeur maximale", max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_file_mb = models.PositiveSmallIntegerField(
        "taille maximale du fichier (Mo)", null=True, blank=True
    )

    class Meta:
        verbose_name = "question"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposée"
    WITHDRAWN = "withdrawn", "Retirée"


class Decision(models.TextChoices):
    SELECTED = "selected", "Retenue"
    WAITING_LIST = "waiting_list", "Liste d'attente"
    NOT_SELECTED = "not_selected", "Non retenue"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return applications_visible_to(self, user)

    def editable_by(self, user):
        return applications_editable_by(self, user)

    def submitted(self):
        return self.filter(status=ApplicationStatus.SUBMITTED)

    def laureates(self):
        """Selected applications whose applicants agreed to be named."""
        return self.submitted().filter(
            decision=Decision.SELECTED, publication_consent=True
        )


class Application(models.Model):
    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name="appel",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name="candidat",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="au nom de l'organisation",
    )
    title = models.CharField("titre du projet", max_length=200)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    decision = models.CharField(
        "décision", max_length=20, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    publication_consent = models.BooleanField(
        "accepte d'être cité comme lauréat", default=False
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One application per person and call; a withdrawn one can be reopened.
            models.UniqueConstraint(
                fields=["call", "applicant"], name="one_application_per_call"
            )
        ]

    def __str__(self):
        return self.title or f"Candidature {self.pk}"

    @property
    def reference(self) -> str:
        """What applicant and team quote: « AP-2026-0042 »."""
        return f"AP-{self.created_at:%Y}-{self.pk:04d}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT


def answer_file_path(answer, filename):
    # Private: served only through a view that checks who asks.
    return f"candidatures/{answer.application_id}/{answer.question_id}/{filename}"


class Answer(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name="candidature",
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=answer_file_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réponse"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question} : {self.display_value()}"

    def display_value(self) -> str:
        kind = self.question.kind
        if kind == QuestionKind.NUMBER:
            return "" if self.number is None else f"{self.number.normalize():f}"
        if kind == QuestionKind.DATE:
            return "" if self.date is None else self.date.isoformat()
        if kind == QuestionKind.FILE:
            return self.file_name
        return self.text

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.number is not None or self.date or self.file)


# Follow-up
#
# A selected application becomes a supported project that the team follows:
# the amount granted and its payments, milestones, the laureate's reports and
# the final showcase. Services are in campus/talent/followup.py.


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "En cours"
    COMPLETED = "completed", "Terminé"
    ABANDONED = "abandoned", "Abandonné"


class SupportedProjectQuerySet(models.QuerySet):
    def published(self):
        """Projects the team made public and whose laureate agreed to be named."""
        return self.filter(
            is_public=True,
            application__in=Application.objects.laureates(),
            application__call__is_published=True,
        )

    def followed_by(self, user):
        """The projects of the user's applications or of their organisations'
        applications; the team's pages use the unscoped manager."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(
            Q(application__applicant=user)
            | Q(application__organisation__in=organisation_ids_of(user))
        )


class SupportedProject(models.Model):
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="supported_project",
        verbose_name="candidature retenue",
    )
    amount_granted = models.DecimalField(
        "montant accordé (€)", max_digits=12, decimal_places=2, default=0
    )
    starts_on = models.DateField("début du projet", null=True, blank=True)
    ends_on = models.DateField("fin prévue", null=True, blank=True)
    status = models.CharField(
        "état",
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.IN_PROGRESS,
    )
    public_summary = models.TextField(
        "présentation publique",
        max_length=5000,
        blank=True,
        help_text="Texte mis en forme (Markdown), publié sur la page des lauréats.",
    )
    is_public = models.BooleanField(
        "publié sur la page des lauréats",
        default=False,
        help_text="Seulement si le lauréat a accepté d'être cité.",
    )
    showcase_items = models.ManyToManyField(
        "trades.ShowcaseItem",
        blank=True,
        related_name="supported_projects",
        verbose_name="réalisations finales",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="suivi ouvert par",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("ouvert le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = SupportedProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "projet soutenu"
        verbose_name_plural = "projets soutenus"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_granted__gte=0),
                name="supported_project_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="supported_project_ends_after_start",
            ),
        ]

    def __str__(self):
        return str(self.application)

    def get_absolute_url(self):
        return reverse("talent:followup_team_project", args=[self.pk])

    def laureate_url(self):
        return reverse("talent:followup_laureate", args=[self.application_id])


class Milestone(models.Model):
    project = models.ForeignKey(
        SupportedProject,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name="projet",
    )
    title = models.CharField("étape", max_length=200)
    due_on = models.DateField("échéance")
    done_on = models.DateField("atteinte le", null=True, blank=True)
    note = models.CharField("note", max_length=500, blank=True)
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "étape"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.done_on is None and self.due_on < today


class Payment(models.Model):
    project = models.ForeignKey(
        SupportedProject,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name="projet",
    )
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    paid_on = models.DateField("versé le")
    note = models.CharField("note", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "versement"
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.amount} € le {self.paid_on:%d/%m/%Y}"


class ReportKind(models.TextChoices):
    INTERIM = "interim", "Rapport intermédiaire"
    FINAL = "final", "Rapport final"


def project_report_path(report, filename):
    # Private: served only through a view that checks who asks.
    return f"suivi/{report.project_id}/{filename}"


class ProjectReport(models.Model):
    project = models.ForeignKey(
        SupportedProject,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name="projet",
    )
    kind = models.CharField(
        "type de rapport", max_length=20, choices=ReportKind.choices
    )
    title = models.CharField("titre", max_length=200)
    file = models.FileField("fichier", upload_to=project_report_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "rapport"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talent:followup_report_download", args=[self.pk])
