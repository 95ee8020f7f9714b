"""Calls of the campus: calls for projects, competitions, residencies, mobility.

One engine runs every kind of call. The campus team writes a call and its
questions (short text, long text, choice, number, date, file) without code;
people apply with an account, save a draft as they go and submit before the
closing time, which the server enforces (Europe/Paris, to the minute).

An application's answers are one row per question, typed by the question's kind.
Applications and their answers are personal data: they are kept
`APPLICATION_RETENTION_DAYS` after the call closes, then erased.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from campus.network.models import Organisation
from campus.ownership import is_active_account, organisation_ids_of
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
        if is_active_account(user) and user.is_campus_team:
            return self.all()
        return self.published()

    def open_at(self, now):
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def next_opening_or_closing(self, now):
        """The first moment after `now` when one of these calls changes state."""
        moments = self.aggregate(
            opening=Min("opens_at", filter=Q(opens_at__gt=now)),
            closing=Min("closes_at", filter=Q(closes_at__gt=now)),
        )
        return min((m for m in moments.values() if m is not None), default=None)


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


# Review


class ReviewerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Reviewer(models.Model):
    """A person the team appointed to score a call's applications.

    Removing a reviewer only ends their access: their pending assignments go, but
    the reviews they submitted stay in the ranking (the jury's work is not undone
    by a change of members). Appointing them again gives the access back.
    """

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="reviewers", verbose_name="appel"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_roles",
        verbose_name="évaluateur",
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nommé par",
    )
    appointed_at = models.DateTimeField("nommé le", default=timezone.now)
    removed_at = models.DateTimeField("retiré le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluateur"
        ordering = ["appointed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"], name="one_reviewer_per_call_and_user"
            )
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class AssignmentQuerySet(models.QuerySet):
    def of_reviewer(self, user):
        """What `user` may read and score: their assignments as an active reviewer,
        on submitted applications (a conflict deletes the assignment)."""
        if not is_active_account(user):
            return self.none()
        return self.filter(
            reviewer__user=user,
            reviewer__removed_at__isnull=True,
            application__status=ApplicationStatus.SUBMITTED,
        )


class Assignment(models.Model):
    reviewer = models.ForeignKey(
        Reviewer,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="évaluateur",
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="candidature",
    )
    assigned_at = models.DateTimeField("affectée le", auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation"
        ordering = ["application_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application.reference}"


class ConflictOfInterest(models.Model):
    reviewer = models.ForeignKey(
        Reviewer,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name="évaluateur",
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name="candidature",
    )
    declared_at = models.DateTimeField("déclaré le", auto_now_add=True)
    note = models.TextField("précisions", max_length=2000, blank=True)

    class Meta:
        verbose_name = "conflit d'intérêts"
        verbose_name_plural = "conflits d'intérêts"
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application"], name="one_conflict_per_reviewer"
            )
        ]

    def __str__(self):
        return f"Conflit d'intérêts : {self.reviewer} / {self.application.reference}"


class Criterion(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name="appel"
    )
    label = models.CharField("critère", max_length=200)
    description = models.TextField("description", max_length=2000, blank=True)
    weight = models.DecimalField(
        "coefficient",
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_score = models.PositiveSmallIntegerField(
        "note maximale",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "critère"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_score__gte=1, max_score__lte=100),
                name="criterion_max_score_range",
            ),
        ]

    def __str__(self):
        return self.label


class Review(models.Model):
    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name="affectation",
    )
    comment = models.TextField("commentaire", max_length=5000, blank=True)
    submitted_at = models.DateTimeField("transmise le", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "évaluation"

    def __str__(self):
        return f"Évaluation de {self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name="évaluation",
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name="critère",
    )
    value = models.PositiveSmallIntegerField("note")

    class Meta:
        verbose_name = "note"
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion} : {self.value}/{self.criterion.max_score}"


class Deliberation(models.Model):
    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="deliberations",
        verbose_name="appel",
    )
    held_on = models.DateField("date de la délibération")
    members_present = models.TextField("membres présents", max_length=2000)
    minutes = models.TextField("procès-verbal", max_length=20_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "délibération"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Délibération du {self.held_on:%d/%m/%Y}"


class DecisionNotice(models.Model):
    """The decision last sent to an applicant: a decision is re-sent only when it
    differs from this one."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="decision_notice",
        verbose_name="candidature",
    )
    decision = models.CharField("décision", max_length=20, choices=Decision.choices)
    reason = models.TextField("motif", blank=True)
    sent_at = models.DateTimeField("envoyée le")

    class Meta:
        verbose_name = "envoi de la décision"

    def __str__(self):
        return f"{self.get_decision_display()} ({self.application.reference})"


# Residencies and mobility


class ResidencyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, host__is_published=True)


class Residency(models.Model):
    """An artist's residency at a workshop or school of the network.

    The resident is named by their public (artist's) name, which the team
    publishes with their agreement; nothing else about them is kept.
    """

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=220, unique=True)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="residencies",
        verbose_name="lieu d'accueil",
    )
    resident_name = models.CharField("nom d'artiste du résident", max_length=150)
    trades = models.ManyToManyField(
        "trades.Trade",
        blank=True,
        related_name="residencies",
        verbose_name="discipline et métiers",
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    description = models.TextField(
        "présentation", max_length=20_000, help_text="Texte mis en forme (Markdown)."
    )
    works = models.ManyToManyField(
        "trades.ShowcaseItem",
        blank=True,
        related_name="residencies",
        verbose_name="œuvres produites",
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residencies",
        limit_choices_to={"kind": CallKind.RESIDENCY},
        verbose_name="appel d'origine",
    )
    is_published = models.BooleanField("publiée", default=False)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ResidencyQuerySet.as_manager()

    class Meta:
        verbose_name = "résidence d'artiste"
        verbose_name_plural = "résidences d'artistes"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="residency_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talent:residency_detail", args=[self.slug])


class HostPartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class HostPartner(models.Model):
    """A school or workshop abroad that hosts the campus's learners (Erasmus+).

    Its contact e-mail is for the team only and never shown on public pages.
    """

    name = models.CharField("nom", max_length=200)
    country = CountryField("pays")
    city = models.CharField("ville", max_length=120)
    trades = models.ManyToManyField(
        "trades.Trade",
        blank=True,
        related_name="host_partners",
        verbose_name="métiers",
    )
    website = models.URLField("site web", blank=True)
    contact_email = models.EmailField("e-mail de contact (privé)", blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = HostPartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire d'accueil"
        verbose_name_plural = "partenaires d'accueil"
        ordering = ["country", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.city})"


class MobilityOfferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, host_partner__is_active=True)


class MobilityOffer(models.Model):
    """Places offered at a host partner, applied for through a mobility call."""

    host_partner = models.ForeignKey(
        HostPartner,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name="partenaire d'accueil",
    )
    title = models.CharField("intitulé", max_length=200)
    duration_weeks = models.PositiveSmallIntegerField("durée (semaines)")
    period = models.CharField(
        "période", max_length=100, help_text="Par exemple « mars–avril 2027 »."
    )
    places = models.PositiveSmallIntegerField("nombre de places")
    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobility_offers",
        limit_choices_to={"kind": CallKind.MOBILITY},
        verbose_name="appel à candidatures",
    )
    is_published = models.BooleanField("publiée", default=False)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = MobilityOfferQuerySet.as_manager()

    class Meta:
        verbose_name = "offre de mobilité"
        verbose_name_plural = "offres de mobilité"
        ordering = ["host_partner__country", "title", "pk"]

    def __str__(self):
        return self.title


# Learners' names of mobilities are kept this long after their return: the
# Erasmus+ grant agreement lets the agency audit a project for five years.
MOBILITY_RETENTION_DAYS = 5 * 365
ANONYMOUS_LEARNER = "Apprenant"


def mobility_certificate_path(mobility, filename):
    # Private: served only to the campus team, through a view.
    return f"mobilites/{filename}"


class Mobility(models.Model):
    """A mobility a learner did abroad, counted for the campus's reports.

    The learner is named by first name and the initial of the last name, no
    more. These names and the certificate are personal data: they are kept
    `MOBILITY_RETENTION_DAYS` (five years, the Erasmus+ audit period) after the
    return, then `anonymise_old_mobilities()` replaces the name with
    « Apprenant » and deletes the certificate; the counts stay.
    """

    learner_first_name = models.CharField("prénom de l'apprenant", max_length=60)
    learner_last_initial = models.CharField("initiale du nom", max_length=1, blank=True)
    sending_school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sent_mobilities",
        verbose_name="établissement d'envoi",
    )
    trade = models.ForeignKey(
        "trades.Trade",
        on_delete=models.PROTECT,
        related_name="mobilities",
        verbose_name="métier",
    )
    host_partner = models.ForeignKey(
        HostPartner,
        on_delete=models.PROTECT,
        related_name="mobilities",
        verbose_name="partenaire d'accueil",
    )
    departure_on = models.DateField("départ")
    return_on = models.DateField("retour")
    europass_issued = models.BooleanField("Europass Mobilité délivré", default=False)
    certificate = models.FileField(
        "attestation (PDF)", upload_to=mobility_certificate_path, blank=True
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobilities",
        verbose_name="candidature",
    )
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "mobilité réalisée"
        verbose_name_plural = "mobilités réalisées"
        ordering = ["-departure_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(return_on__gt=models.F("departure_on")),
                name="mobility_returns_after_departure",
            )
        ]

    def __str__(self):
        return f"{self.learner_name} — {self.host_partner.name}"

    @property
    def learner_name(self) -> str:
        if self.learner_last_initial:
            return f"{self.learner_first_name} {self.learner_last_initial}."
        return self.learner_first_name


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
        if not is_active_account(user):
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
