"""Apprenticeship, internship and job offers that partners publish.

An offer is open while it is published, its organisation is in the directory
and its expiry date has not passed: it then disappears from every public page
by itself, with no task to run. The team may withdraw an offer after it was
published (`is_withdrawn`, with the reason). The place, the level and the
folded search text and whether the organisation is published are copied onto
the row when it is saved (and by signals.py when their source changes), so the
public list reads one table and its newest-first index: joined to the
organisations, SQLite sorted the 90,000 open offers for each page (0.75 s at
100,000 offers).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campus.network.models import Organisation
from campus.offers.permissions import offer_policy
from campus.ownership import OwnedQuerySet
from campus.search import fold_parts
from campus.trades.models import RomeJob
from campus.trainings.models import Certification, Level

# An offer stays open two months unless its organisation renews it.
VALIDITY_DAYS = 60
# The reminder leaves this many days before the expiry date.
REMINDER_DAYS = 7


def default_expiry() -> date:
    return timezone.localdate() + timedelta(days=VALIDITY_DAYS)


class Contract(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", "Apprentissage"
    INTERNSHIP = "internship", "Stage"
    JOB = "job", "Emploi"


class OfferQuerySet(OwnedQuerySet):
    policy = offer_policy

    def published(self):
        """The open offers: published, of a listed organisation, not expired."""
        return self.filter(
            is_withdrawn=False,
            organisation_published=True,
            expires_on__gte=timezone.localdate(),
        )

    def for_rome_codes(self, codes: list[str]):
        return self.filter(rome_job__code__in=codes)


class Offer(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name="entreprise ou organisation",
    )
    contract = models.CharField("type d'offre", max_length=20, choices=Contract.choices)
    title = models.CharField("intitulé du poste", max_length=150)
    rome_job = models.ForeignKey(
        RomeJob,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name="métier (code ROME)",
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name="diplôme ou titre préparé",
    )
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune du poste",
    )
    starts_on = models.DateField("date de début")
    duration_months = models.PositiveSmallIntegerField(
        "durée (en mois)", null=True, blank=True
    )
    positions = models.PositiveSmallIntegerField("nombre de postes", default=1)
    description = models.TextField("description", max_length=8000)
    apply_url = models.URLField("adresse de candidature en ligne", blank=True)
    apply_email = models.EmailField("e-mail de candidature", blank=True)
    expires_on = models.DateField("visible jusqu'au", default=default_expiry)
    # The expiry date the last reminder was about: renewing moves the date, so the
    # next reminder goes out in its turn.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    is_withdrawn = models.BooleanField("retirée par l'équipe", default=False)
    withdrawal_reason = models.TextField("motif du retrait", blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        editable=False,
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, null=True, editable=False
    )
    departement_code = models.CharField(max_length=3, blank=True, editable=False)
    organisation_published = models.BooleanField(default=True, editable=False)
    latitude = models.FloatField(null=True, editable=False)
    longitude = models.FloatField(null=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("publiée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    # The application e-mail may be a recruiter's own address: the history does
    # not keep it past the offer's deletion.
    history = HistoricalRecords(
        excluded_fields=["search_text", "apply_email", "reminded_for"]
    )
    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "offre"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="offer_newest"),
            models.Index(fields=["expires_on"], name="offer_expiry"),
            models.Index(fields=["latitude", "longitude"], name="offer_position"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(apply_url="") | ~Q(apply_email=""),
                name="offer_has_a_way_to_apply",
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1), name="offer_has_a_position"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.copy_from_sources()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("offers:offer_detail", args=[self.pk])

    def copy_from_sources(self) -> None:
        commune = self.commune
        self.latitude, self.longitude = commune.latitude, commune.longitude
        self.departement_code = commune.departement.code
        self.organisation_published = self.organisation.is_published
        certification = self.certification
        self.level = certification.level if certification else None
        self.search_text = fold_parts(
            self.title,
            self.rome_job.label,
            self.rome_job.code,
            certification.title if certification else "",
            self.organisation.name,
            commune.name,
            self.get_contract_display(),
        )

    @property
    def is_open(self) -> bool:
        return (
            not self.is_withdrawn
            and self.organisation_published
            and self.expires_on >= timezone.localdate()
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()
