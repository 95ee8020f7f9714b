"""Equipment that technology platforms lend, and the bookings partners ask for.

A booking runs from `starts_at` to `ends_at` (aware datetimes, stored in UTC, typed
and shown in Europe/Paris). Approved bookings of one equipment never overlap: the
approving service checks it under a lock of the equipment row, and on PostgreSQL
an exclusion constraint (added by migration 0002, a no-op on SQLite) refuses any
write that would slip past the check.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse

from campus.network.models import Organisation, OrganisationKind, Site
from campus.ownership import OwnedQuerySet, is_active_account
from campus.platforms.permissions import equipment_policy, managed_bookings
from campus.platforms.times import elapsed
from campus.search import fold_parts
from campus.slugs import unique_slug

NO_OVERLAP_CONSTRAINT = "platforms_booking_no_overlap"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class EquipmentQuerySet(OwnedQuerySet):
    policy = equipment_policy

    def published(self):
        return self.filter(is_published=True, organisation__is_published=True)


class Equipment(models.Model):
    """A machine or a workshop that a platform lends to the network's partners."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name="plateforme",
        limit_choices_to={"kind": OrganisationKind.TECHNOLOGY_PLATFORM},
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'adresse", max_length=220, unique=True)
    photo = models.ImageField("photo", upload_to="platforms/", blank=True)
    photo_alt = models.CharField(
        "texte alternatif de la photo", max_length=200, blank=True
    )
    description = models.TextField("description", max_length=5000)
    characteristics = models.TextField(
        "capacités et caractéristiques techniques", max_length=3000, blank=True
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lieu",
    )
    access_conditions = models.TextField(
        "conditions d'accès", max_length=3000, blank=True
    )
    is_free = models.BooleanField("gratuit", default=False)
    hourly_price = models.DecimalField(
        "tarif horaire (€ HT)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    required_training = models.TextField(
        "formation préalable requise", max_length=2000, blank=True
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_equipment",
        verbose_name="responsable des réservations",
    )
    calendar_token = models.CharField(
        max_length=64, default=new_calendar_token, editable=False
    )
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = "équipement"
        verbose_name_plural = "équipements"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_free=True) | Q(hourly_price__isnull=False),
                name="platforms_equipment_price_or_free",
            ),
            models.CheckConstraint(
                condition=Q(hourly_price__isnull=True) | Q(hourly_price__gte=0),
                name="platforms_equipment_price_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Equipment, self.name, max_length=220, default="equipement"
            )
        if self.is_free:
            self.hourly_price = None
        self.search_text = fold_parts(
            self.name,
            self.description,
            self.characteristics,
            self.organisation.name,
            self.organisation.acronym,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("platforms:equipment_detail", kwargs={"slug": self.slug})

    @property
    def location(self) -> str:
        """Where the equipment stands: its site, or the platform's address."""
        if self.site_id:
            place = self.site
            parts = [place.name, place.street_address]
        else:
            place = self.organisation
            parts = [place.street_address]
        commune = place.commune if place.commune_id else None
        if commune:
            parts.append(commune.name)
        return ", ".join(part for part in parts if part)

    def manager_users(self):
        """Who decides on bookings: the manager, or else the platform's editors."""
        from campus.accounts.models import User

        if self.manager_id and self.manager.is_active:
            return User.objects.filter(pk=self.manager_id)
        return User.objects.filter(
            pk__in=self.organisation.editors().values("user_id")
        ).order_by("email")


class BookingStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    APPROVED = "approved", "Acceptée"
    REFUSED = "refused", "Refusée"
    CANCELLED = "cancelled", "Annulée"


class TsTzRange(Func):
    """The booking's time range, for PostgreSQL's exclusion constraint."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class BookingQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=BookingStatus.APPROVED)

    def overlapping(self, starts_at, ends_at):
        """Bookings sharing some time with [starts_at, ends_at): touching ends do not."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def managed_by(self, user):
        return managed_bookings(self, user)

    def requested_by(self, user):
        if not is_active_account(user):
            return self.none()
        return self.filter(requester=user)


class Booking(models.Model):
    """A partner's request for a slot on an equipment, then the platform's decision."""

    equipment = models.ForeignKey(
        Equipment,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name="équipement",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="equipment_bookings",
        verbose_name="demandée par",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="equipment_bookings",
        verbose_name="pour l'organisation",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    purpose = models.TextField("objet", max_length=2000)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=BookingStatus.choices,
        default=BookingStatus.PENDING,
    )
    refusal_reason = models.TextField("motif du refus", max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "réservation"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="platforms_booking_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["equipment", "status", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.equipment} ({self.get_status_display()})"

    @property
    def duration_hours(self) -> float:
        """Elapsed hours: a night across a clock change lasts one hour less or more."""
        return elapsed(self.starts_at, self.ends_at).total_seconds() / 3600

    @property
    def is_pending(self) -> bool:
        return self.status == BookingStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == BookingStatus.APPROVED
