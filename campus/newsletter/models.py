"""The campus's newsletter: subscribers with double opt-in, issues and their deliveries.

A subscriber is an e-mail address and its topics, nothing more: no name, no
account. The address is confirmed by a link before anything is sent to it
(double opt-in), and every message carries a private link to the preference
page and the one-click unsubscription (RFC 8058).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from campus.agenda.models import Event
from campus.news.models import Article
from campus.richtext import validate_markdown


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Topic(models.TextChoices):
    EVENTS = "events", "Événements : portes ouvertes, salons, ateliers"
    TRAININGS = "trainings", "Formations"
    TRADES = "trades", "Métiers et savoir-faire"
    CALLS = "calls", "Appels à projets et concours"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "En attente de confirmation"
    ACTIVE = "active", "Abonné"
    UNSUBSCRIBED = "unsubscribed", "Désabonné"


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=SubscriberStatus.ACTIVE)

    def for_topics(self, topics):
        """Active subscribers who chose at least one of `topics`."""
        return self.active().filter(
            pk__in=SubscriberTopic.objects.filter(topic__in=topics).values("subscriber")
        )

    def with_email(self, email: str):
        """The address whatever its case, through the index of the unique constraint."""
        return self.alias(email_lower=Lower("email")).filter(
            email_lower=email.strip().lower()
        )


class Subscriber(models.Model):
    email = models.EmailField("adresse e-mail", max_length=254)
    status = models.CharField(
        "état",
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    # The key of the preference page and the unsubscription link: it never
    # expires, as mail clients keep List-Unsubscribe links for months.
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    # A new one at each request to subscribe: an older confirmation link dies.
    confirmation_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    confirmation_sent_at = models.DateTimeField("lien de confirmation envoyé le")
    confirmed_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = "abonné à la lettre"
        verbose_name_plural = "abonnés à la lettre"
        ordering = ["email", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="newsletter_subscriber_unique_email"
            )
        ]

    def __str__(self):
        return self.email

    @property
    def topic_codes(self) -> list[str]:
        chosen = {row.topic for row in self.topics.all()}
        return [code for code in Topic.values if code in chosen]

    @property
    def topic_labels(self) -> list[str]:
        return [Topic(code).label for code in self.topic_codes]

    @property
    def confirmation_expires_at(self):
        return self.confirmation_sent_at + timedelta(
            days=settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS
        )

    @property
    def confirmation_is_open(self) -> bool:
        return (
            self.status == SubscriberStatus.PENDING
            and timezone.now() < self.confirmation_expires_at
        )

    def get_confirmation_url(self):
        return reverse("newsletter:confirm", kwargs={"token": self.confirmation_token})

    def get_preferences_url(self):
        return reverse("newsletter:preferences", kwargs={"token": self.token})

    def get_unsubscribe_url(self):
        return reverse("newsletter:unsubscribe", kwargs={"token": self.token})


class SubscriberTopic(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="topics"
    )
    topic = models.CharField("thème", max_length=12, choices=Topic.choices)

    class Meta:
        verbose_name = "thème choisi"
        verbose_name_plural = "thèmes choisis"
        ordering = ["subscriber", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "topic"], name="newsletter_topic_once"
            )
        ]

    def __str__(self):
        return self.get_topic_display()


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyée"


class NewsletterIssue(models.Model):
    subject = models.CharField("objet", max_length=150)
    intro = models.TextField(
        "introduction",
        max_length=5000,
        blank=True,
        validators=[validate_markdown],
        help_text="Mise en forme Markdown : **gras**, *italique*, [lien](https://…).",
    )
    topics = models.JSONField("thèmes", default=list)
    articles = models.ManyToManyField(
        Article, blank=True, related_name="+", verbose_name="actualités"
    )
    events = models.ManyToManyField(
        Event, blank=True, related_name="+", verbose_name="événements"
    )
    status = models.CharField(
        "état", max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rédigée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoyée par",
    )
    sending_started_at = models.DateTimeField("envoi commencé le", null=True)
    sent_at = models.DateTimeField("envoi terminé le", null=True, blank=True)
    # Written by the sending task after each message (see services.deliver_issue).
    heartbeat_at = models.DateTimeField("dernière nouvelle de l'envoi", null=True)
    recipient_count = models.PositiveIntegerField("destinataires", default=0)
    sent_count = models.PositiveIntegerField("envoyés", default=0)
    failed_count = models.PositiveIntegerField("échecs", default=0)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "lettre d'information"
        verbose_name_plural = "lettres d'information"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("newsletter:issue_detail", kwargs={"pk": self.pk})

    @property
    def topic_labels(self) -> list[str]:
        return [Topic(code).label for code in Topic.values if code in self.topics]

    @property
    def seems_interrupted(self) -> bool:
        """Sending without news for CAMPUS_NEWSLETTER_STALE_AFTER (its worker died),
        or stopped by an error (no heartbeat: services.deliver_issue)."""
        if self.status != IssueStatus.SENDING:
            return False
        if self.heartbeat_at is None:
            return True
        stale_after = timedelta(seconds=settings.CAMPUS_NEWSLETTER_STALE_AFTER)
        return timezone.now() - self.heartbeat_at > stale_after

    def shown_articles(self):
        """The chosen news still published when the issue is rendered."""
        return Article.objects.published().filter(pk__in=self.articles.all())

    def shown_events(self):
        """The chosen events still published and not yet over."""
        return (
            Event.objects.published()
            .filter(pk__in=self.events.all(), ends_at__gte=timezone.now())
            .order_by("starts_at", "pk")
        )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    CANCELLED = "cancelled", "Annulé (désabonné entre-temps)"


class Delivery(models.Model):
    """One issue to one subscriber: sent at most once (see services.deliver_issue)."""

    issue = models.ForeignKey(
        NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        "état",
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    error = models.CharField("erreur", max_length=500, blank=True)

    class Meta:
        verbose_name = "envoi"
        ordering = ["issue", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
