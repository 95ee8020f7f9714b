"""Outreach to schools: teachers' requests, discovery placements, resources.

Pupils are minors: the campus stores how many pupils of which class level were
reached, never a pupil's name.
"""

import secrets
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campus.network.models import Organisation
from campus.outreach.permissions import placement_policy, request_policy
from campus.ownership import OwnedQuerySet
from campus.trades.models import Trade

CONFIRMATION_DAYS = 7


class ClassLevel(models.TextChoices):
    CM1_CM2 = "cm", "CM1 - CM2 (école élémentaire)"
    SIXIEME_CINQUIEME = "6e_5e", "6e - 5e (collège)"
    QUATRIEME = "4e", "4e (collège)"
    TROISIEME = "3e", "3e (collège)"
    SEGPA = "segpa", "SEGPA ou ULIS"
    SECONDE = "2de", "Seconde"
    PREMIERE_TERMINALE = "1re_tle", "Première - Terminale"
    CAP = "cap", "CAP"
    OTHER = "other", "Autre"


class RequestStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "E-mail non confirmé"
    NEW = "new", "À traiter"
    ASSIGNED = "assigned", "Confiée à un partenaire"
    SCHEDULED = "scheduled", "Programmée"
    DONE = "done", "Réalisée"
    CANCELLED = "cancelled", "Annulée"


OPEN_STATUSES = [RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.SCHEDULED]


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InterventionRequestQuerySet(models.QuerySet):
    def confirmed(self):
        return self.exclude(status=RequestStatus.UNCONFIRMED)

    def visible_to(self, user):
        """The campus team sees confirmed requests; a partner, those assigned to its organisations."""
        return request_policy.of_members(self.confirmed(), user)


class InterventionRequest(models.Model):
    """A teacher's request for an artisan or partner to present trades to a class."""

    school_name = models.CharField("établissement", max_length=200)
    school_uai = models.CharField(
        "UAI de l'établissement",
        max_length=8,
        blank=True,
        help_text="Facultatif : 7 chiffres et une lettre, par exemple 0210056X.",
    )
    school_town = models.CharField("commune de l'établissement", max_length=120)
    teacher_name = models.CharField("votre nom", max_length=150)
    teacher_email = models.EmailField("votre e-mail professionnel")
    teacher_phone = models.CharField("téléphone", max_length=30, blank=True)
    class_level = models.CharField(
        "niveau de la classe", max_length=10, choices=ClassLevel.choices
    )
    pupil_count = models.PositiveSmallIntegerField("nombre d'élèves")
    trades = models.ManyToManyField(
        Trade,
        blank=True,
        related_name="+",
        verbose_name="métiers qui intéressent la classe",
    )
    preferred_dates = models.CharField(
        "dates ou périodes souhaitées",
        max_length=300,
        help_text="Par exemple : « les mardis après-midi de mars » ou « semaine du 12 mai ».",
    )
    message = models.TextField("votre projet", blank=True, max_length=3000)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.UNCONFIRMED,
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    assigned_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intervention_requests",
        verbose_name="partenaire chargé de l'intervention",
    )
    scheduled_for = models.DateTimeField("date prévue", null=True, blank=True)
    team_notes = models.TextField("notes de l'équipe", blank=True, max_length=4000)
    held_on = models.DateField("réalisée le", null=True, blank=True)
    pupils_reached = models.PositiveSmallIntegerField(
        "élèves touchés", null=True, blank=True
    )
    artisans_involved = models.PositiveSmallIntegerField(
        "artisans ou professionnels intervenus", null=True, blank=True
    )
    outcome = models.TextField("bilan", blank=True, max_length=4000)

    # The teacher's details and the confirmation link stay out of the history.
    history = HistoricalRecords(
        excluded_fields=[
            "teacher_name",
            "teacher_email",
            "teacher_phone",
            "message",
            "token",
        ]
    )
    objects = InterventionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'intervention"
        verbose_name_plural = "demandes d'intervention"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil_count__gte=1) & Q(pupil_count__lte=200),
                name="request_pupil_count_range",
            )
        ]

    def __str__(self):
        return f"{self.school_name} ({self.get_class_level_display()})"

    def get_confirmation_url(self):
        return reverse("outreach:confirm_request", kwargs={"token": self.token})

    @property
    def confirmation_is_open(self) -> bool:
        return (
            self.status == RequestStatus.UNCONFIRMED
            and self.created_at > timezone.now() - timedelta(days=CONFIRMATION_DAYS)
        )


class PlacementLevel(models.TextChoices):
    TROISIEME = "3e", "Stage d'observation de 3e"
    SECONDE = "2de", "Stage de seconde"
    MINI_STAGE = "mini", "Mini-stage de découverte (lycée professionnel)"


class DiscoveryPlacementQuerySet(OwnedQuerySet):
    policy = placement_policy

    def published(self):
        return self.filter(is_published=True, organisation__is_published=True)


class DiscoveryPlacement(models.Model):
    """A discovery placement a company offers to pupils."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="discovery_placements",
        verbose_name="entreprise d'accueil",
    )
    title = models.CharField("intitulé", max_length=200)
    level = models.CharField("pour qui", max_length=10, choices=PlacementLevel.choices)
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="discovery_placements", verbose_name="métiers"
    )
    description = models.TextField("déroulement", blank=True, max_length=3000)
    places = models.PositiveSmallIntegerField("places", default=1)
    period = models.CharField("période", max_length=200, blank=True)
    contact_email = models.EmailField("e-mail pour candidater")
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = DiscoveryPlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "stage de découverte"
        verbose_name_plural = "stages de découverte"
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class ResourceKind(models.TextChoices):
    TRADE_SHEET = "sheet", "Fiche métier"
    VIDEO = "video", "Vidéo"
    ACTIVITY = "activity", "Activité pour la classe"


class TeacherResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class TeacherResource(models.Model):
    """A resource for teachers: a trade sheet or a video, given by its link."""

    title = models.CharField("titre", max_length=200)
    kind = models.CharField("type", max_length=10, choices=ResourceKind.choices)
    url = models.URLField("lien", max_length=500)
    source = models.CharField(
        "source", max_length=200, help_text="Qui publie cette ressource."
    )
    description = models.TextField("description", blank=True, max_length=2000)
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="teacher_resources", verbose_name="métiers"
    )
    is_published = models.BooleanField("publiée", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = TeacherResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource pour les enseignants"
        verbose_name_plural = "ressources pour les enseignants"
        ordering = ["kind", "title", "pk"]

    def __str__(self):
        return self.title
