"""The campus's agenda: open days, fairs, workshops, JEMA, competitions...

An event belongs to its organiser, an organisation of the network: partners
propose events for their organisations, the campus team moderates them
(campus/moderation.py) and publishes its own directly. Open days of trainings
are events of kind « portes ouvertes » linked to the offerings they open.

Registrations hold the least personal data that lets an organiser welcome
people: a name, an e-mail, a number of places, and for a class the school and
the number of pupils — never a pupil's name. They are erased a stated time
after the event (`REGISTRATION_RETENTION_DAYS`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from campus.agenda.permissions import event_policy, registration_policy
from campus.moderation import ModeratedModel, ModerationStatus
from campus.network.models import Organisation, Site
from campus.ownership import OwnedQuerySet
from campus.places.models import coordinates_or_commune
from campus.trades.models import Trade
from campus.trainings.models import Certification, Offering

REGISTRATION_RETENTION_DAYS = 90


def new_token() -> str:
    return secrets.token_urlsafe(32)


class EventKind(models.TextChoices):
    OPEN_DAY = "open_day", "Portes ouvertes"
    FAIR = "fair", "Salon, forum"
    WORKSHOP = "workshop", "Atelier découverte"
    JEMA = "jema", "Journées européennes des métiers d'art"
    COMPETITION = "competition", "Concours"
    CONFERENCE = "conference", "Conférence, table ronde"
    PRO_TRAINING = "pro_training", "Session de formation pour les professionnels"
    WEBINAR = "webinar", "Webinaire"
    OTHER = "other", "Autre"


class EventState(models.TextChoices):
    """What happens to a published event; moderation is a separate status."""

    SCHEDULED = "scheduled", "Programmé"
    POSTPONED = "postponed", "Reporté"
    CANCELLED = "cancelled", "Annulé"


class PlaceKind(models.TextChoices):
    SITE = "site", "Sur un site de l'organisateur"
    ADDRESS = "address", "À une adresse"
    ONLINE = "online", "En ligne"


class Audience(models.Model):
    """Who an event is for: pupils, parents, teachers... (rows made by migration 0002)."""

    code = models.SlugField("code", max_length=20, unique=True)
    label = models.CharField("libellé", max_length=60)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "public visé"
        verbose_name_plural = "publics visés"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class EventQuerySet(OwnedQuerySet):
    policy = event_policy

    def published(self):
        return self.filter(
            status=ModerationStatus.PUBLISHED, organisation__is_published=True
        )

    def upcoming(self):
        """Events not yet over, postponed and cancelled ones included: their page
        says what happened."""
        return self.filter(ends_at__gte=timezone.now())


def event_image_path(instance, filename):
    return f"agenda/{instance.organisation_id}/{filename}"


class Event(ModeratedModel):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant d'adresse", max_length=220, unique=True)
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="organisateur",
    )
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")
    all_day = models.BooleanField("toute la journée", default=False)
    place_kind = models.CharField(
        "lieu", max_length=10, choices=PlaceKind.choices, default=PlaceKind.SITE
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="site",
        help_text="Vide : au siège de l'organisateur.",
    )
    venue = models.CharField("nom du lieu", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="commune",
    )
    # Copied from the site, the organiser or the commune when saved, so that the
    # map and the distance filter read one table.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    online_url = models.URLField("lien de connexion", blank=True)
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="events", verbose_name="publics visés"
    )
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="events", verbose_name="métiers"
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="events", verbose_name="diplômes"
    )
    offerings = models.ManyToManyField(
        Offering,
        blank=True,
        related_name="events",
        verbose_name="formations ouvertes ce jour-là",
    )
    summary = models.CharField("en bref", max_length=300, blank=True)
    description = models.TextField("description", blank=True, max_length=20000)
    accessibility = models.TextField(
        "accessibilité", blank=True, max_length=2000,
        help_text="Accès en fauteuil, boucle magnétique, interprète LSF…",
    )  # fmt: skip
    is_free = models.BooleanField("gratuit", default=True)
    price = models.CharField("tarif", max_length=200, blank=True)
    image = models.ImageField("image", upload_to=event_image_path, blank=True)
    image_alt = models.CharField(
        "texte alternatif de l'image", max_length=250, blank=True
    )
    state = models.CharField(
        "déroulement",
        max_length=10,
        choices=EventState.choices,
        default=EventState.SCHEDULED,
    )
    state_note = models.TextField(
        "précisions sur le report ou l'annulation", blank=True, max_length=2000
    )
    # iCalendar SEQUENCE: bumped each time a published event changes for attendees.
    sequence = models.PositiveIntegerField(default=0)
    registration_enabled = models.BooleanField("inscription", default=False)
    capacity = models.PositiveIntegerField("nombre de places", null=True, blank=True)
    registration_opens_at = models.DateTimeField(
        "ouverture des inscriptions", null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        "clôture des inscriptions", null=True, blank=True
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    # Folded title, summary, organiser and place, for the agenda's search
    # (campus/agenda/signals.py keeps it in step).
    search_text = models.TextField(editable=False, default="")

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            # The agenda's « to come » is ends_at >= now: counted through this one.
            models.Index(fields=["status", "ends_at"], name="agenda_event_status_ends"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:event_detail", args=[self.slug])

    @property
    def uid(self) -> str:
        """The iCalendar UID: stable for the life of the event."""
        return f"event-{self.pk}@{settings.CAMPUS_SITE_DOMAIN}"

    def save(self, *args, **kwargs):
        self.copy_place()
        super().save(*args, **kwargs)

    def copy_place(self) -> None:
        """The commune and the point of the place, for the map and the distance filter:
        the site's (else the organiser's head office) or the address's commune."""
        if self.place_kind == PlaceKind.ONLINE:
            self.commune, self.latitude, self.longitude = None, None, None
        elif self.place_kind == PlaceKind.SITE:
            place = self.site if self.site_id else self.organisation
            self.commune = place.commune if place.commune_id else None
            self.latitude, self.longitude = coordinates_or_commune(
                place.latitude, place.longitude, self.commune
            )
        else:
            self.latitude, self.longitude = coordinates_or_commune(
                None, None, self.commune if self.commune_id else None
            )


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "E-mail non confirmé"
    CONFIRMED = "confirmed", "Inscrit"
    WAITLISTED = "waitlisted", "Liste d'attente"
    CANCELLED = "cancelled", "Annulée"


class RegistrationQuerySet(OwnedQuerySet):
    policy = registration_policy

    def published(self):
        # Registrant lists are never public.
        return self.none()

    def holding_places(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)


class Registration(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("e-mail")
    places = models.PositiveSmallIntegerField("nombre de places", default=1)
    school_name = models.CharField(
        "établissement (pour une classe)", max_length=200, blank=True
    )
    pupil_count = models.PositiveSmallIntegerField(
        "nombre d'élèves", null=True, blank=True
    )
    status = models.CharField(
        "statut",
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.UNCONFIRMED,
        db_index=True,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    attended = models.BooleanField("présent", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The waitlist's order: when the registrant confirmed their e-mail.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name} ({self.event})"

    def get_confirmation_url(self):
        return reverse("agenda:registration_confirm", args=[self.token])

    def get_cancellation_url(self):
        """The link that every e-mail to the registrant carries."""
        return reverse("agenda:registration_cancel", args=[self.token])
