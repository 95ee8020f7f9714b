"""Needs that partners declare: people to recruit, skills their staff should gain.

A need names a trade by its ROME code, a level, a number of people, a horizon and
a commune. It copies its commune's département and the training route that would
answer it when saved, so the team's gap view (campus/needs/gaps.py) groups needs
by trade × level × département × route and sets them against the catalogue's
offerings grouped the same way, on one table each.

The route answering a need:
- a recruitment on an apprenticeship contract: the apprenticeship route;
- a recruitment on a fixed-term or permanent contract: the school route, whose
  graduates are the people a company hires;
- a skills need of employees (continuing education or VAE): continuing education.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campus.needs.permissions import need_policy
from campus.network.models import Organisation
from campus.ownership import OwnedQuerySet
from campus.trainings.models import Certification, Level, Offering, Route, SkillBlock

# A need not reviewed for this long gets its organisation's editors a reminder.
REVIEW_INTERVAL = timedelta(days=182)


class NeedKind(models.TextChoices):
    RECRUITMENT = "recruitment", "Recrutement"
    SKILLS = "skills", "Compétences des salariés"


class Contract(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
    FIXED_TERM = "fixed_term", "CDD"
    PERMANENT = "permanent", "CDI"


class TrainingMode(models.TextChoices):
    CONTINUING = "continuing", "Formation continue"
    VAE = "vae", "VAE (validation des acquis de l'expérience)"


class NeedStatus(models.TextChoices):
    OPEN = "open", "Ouvert"
    IN_PROGRESS = "in_progress", "En cours"
    MET = "met", "Satisfait"
    DROPPED = "dropped", "Abandonné"


ACTIVE_STATUSES = [NeedStatus.OPEN, NeedStatus.IN_PROGRESS]


def route_for(kind: str, contract: str) -> str:
    if kind == NeedKind.SKILLS:
        return Route.CONTINUING
    if contract == Contract.APPRENTICESHIP:
        return Route.APPRENTICESHIP
    return Route.SCHOOL


class NeedQuerySet(OwnedQuerySet):
    policy = need_policy

    def published(self):
        # A need is never public: only its organisation's members and the team read it.
        return self.none()

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def due_for_review(self, now):
        """Open needs not reviewed for six months, not yet reminded since."""
        return self.active().filter(
            Q(review_reminded_at__isnull=True)
            | Q(review_reminded_at__lt=F("reviewed_at")),
            reviewed_at__lte=now - REVIEW_INTERVAL,
        )


class Need(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name="organisation",
    )
    kind = models.CharField("type de besoin", max_length=20, choices=NeedKind.choices)
    rome_code = models.CharField("métier (code ROME)", max_length=5)
    appellation = models.CharField(
        "intitulé du poste",
        max_length=250,
        help_text="Par exemple « Piqueur / Piqueuse en maroquinerie ».",
    )
    level = models.PositiveSmallIntegerField(
        "niveau de qualification", choices=Level.choices
    )
    headcount = models.PositiveSmallIntegerField("nombre de personnes")
    horizon = models.DateField("échéance")
    contract = models.CharField(
        "contrat", max_length=20, choices=Contract.choices, blank=True
    )
    training_mode = models.CharField(
        "modalité", max_length=20, choices=TrainingMode.choices, blank=True
    )
    skills = models.TextField("compétences recherchées", max_length=2000, blank=True)
    skill_blocks = models.ManyToManyField(
        SkillBlock,
        blank=True,
        related_name="needs",
        verbose_name="blocs de compétences RNCP",
    )
    period = models.CharField("période souhaitée", max_length=200, blank=True)
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune",
    )
    departement_code = models.CharField(max_length=3, editable=False, default="")
    route = models.CharField(
        max_length=20, choices=Route.choices, editable=False, default=""
    )
    status = models.CharField(
        "statut", max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    reviewed_at = models.DateTimeField("revu le", default=timezone.now)
    review_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclaré par",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("déclaré le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["review_reminded_at"])
    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["rome_code", "level", "departement_code", "route"],
                name="need_gap_key",
            ),
            models.Index(fields=["status", "reviewed_at"], name="need_review"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.appellation}"

    def save(self, *args, **kwargs):
        self.departement_code = self.commune.departement.code
        self.route = route_for(self.kind, self.contract)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("needs:need_edit", args=[self.pk])

    @property
    def gap_key(self) -> tuple:
        """The row of the gap table the need counts in."""
        return (self.rome_code, self.level, self.departement_code, self.route)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_recruitment(self) -> bool:
        return self.kind == NeedKind.RECRUITMENT


# Training projects: from needs to a training that opens.


class ProjectKind(models.TextChoices):
    NEW_TRAINING = "new_training", "Nouvelle formation"
    NEW_ROUTE = "new_route", "Nouvelle voie pour une certification existante"
    CONTINUING_SESSION = "continuing_session", "Session de formation continue"


class Step(models.TextChoices):
    """The steps of a project, in the order they are reached."""

    NEEDS_GATHERED = "needs_gathered", "Besoins recueillis"
    PARTNERS_FOUND = "partners_found", "Partenaires et établissement trouvés"
    CERTIFICATION_CHOSEN = "certification_chosen", "Certification choisie"
    FUNDING = "funding", "Financement obtenu"
    OPENING_DATE = "opening_date", "Date d'ouverture fixée"
    FIRST_COHORT = "first_cohort", "Première promotion"


STEP_ORDER = list(Step)


class TrainingProjectQuerySet(models.QuerySet):
    def opened_between(self, start, end):
        return self.filter(offering__isnull=False, opened_on__range=(start, end))

    def in_progress(self):
        return self.filter(offering__isnull=True)


class TrainingProject(models.Model):
    """A training the team works to open because partners declared needs."""

    title = models.CharField("intitulé du projet", max_length=250)
    kind = models.CharField(
        "type de projet", max_length=30, choices=ProjectKind.choices
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_projects",
        verbose_name="certification",
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_training_projects",
        verbose_name="établissement porteur",
    )
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="training_projects",
        verbose_name="partenaires",
    )
    needs = models.ManyToManyField(
        Need, related_name="training_projects", verbose_name="besoins couverts"
    )
    current_step = models.CharField(
        "étape atteinte", max_length=30, choices=Step.choices, blank=True
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_projects",
        verbose_name="formation ouverte",
    )
    opened_on = models.DateField("ouverte le", null=True, blank=True)
    notes = models.TextField("notes", max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ouvert par",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("ouvert le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()
    objects = TrainingProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "projet de formation"
        verbose_name_plural = "projets de formation"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("needs:project_detail", args=[self.pk])

    @property
    def next_step(self) -> str | None:
        """The step to record next, or None once the first cohort has started."""
        if not self.current_step:
            return STEP_ORDER[0]
        index = STEP_ORDER.index(self.current_step)
        return STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None

    @property
    def is_open(self) -> bool:
        return self.offering_id is not None


class ProjectStep(models.Model):
    project = models.ForeignKey(
        TrainingProject,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name="projet",
    )
    step = models.CharField("étape", max_length=30, choices=Step.choices)
    reached_on = models.DateField("date")
    note = models.TextField("note", max_length=3000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="noté par",
    )
    created_at = models.DateTimeField("noté le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "étape de projet"
        verbose_name_plural = "étapes de projet"
        ordering = ["project", "reached_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "step"], name="project_step_once"
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} ({self.reached_on:%d/%m/%Y})"
