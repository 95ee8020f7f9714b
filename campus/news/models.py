"""News of the campus and its network: partners propose, the team publishes.

An article is public once it is published (campus/moderation.py) and its
publication date has come, so the team can schedule an article ahead.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campus.agenda.models import Event
from campus.moderation import ModeratedModel, ModerationStatus
from campus.network.models import Organisation
from campus.news.permissions import article_policy
from campus.ownership import OwnedQuerySet
from campus.trades.models import Trade


class Category(models.Model):
    name = models.CharField("nom", max_length=80, unique=True)
    slug = models.SlugField("identifiant d'adresse", max_length=90, unique=True)

    class Meta:
        verbose_name = "rubrique"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", args=[self.slug])


class ArticleQuerySet(OwnedQuerySet):
    policy = article_policy

    def published(self):
        return self.filter(
            Q(organisation__isnull=True) | Q(organisation__is_published=True),
            status=ModerationStatus.PUBLISHED,
            published_at__lte=timezone.now(),
        )

    def scheduled(self, *, after=None):
        """Accepted articles whose publication date is still to come (after now,
        or `after`)."""
        return self.filter(
            Q(organisation__isnull=True) | Q(organisation__is_published=True),
            status=ModerationStatus.PUBLISHED,
            published_at__gt=after or timezone.now(),
        )


def article_image_path(instance, filename):
    return f"actualites/{filename}"


class Article(ModeratedModel):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant d'adresse", max_length=220, unique=True)
    summary = models.CharField("chapeau", max_length=400)
    body = models.TextField("texte", max_length=20000)
    image = models.ImageField("image", upload_to=article_image_path, blank=True)
    image_alt = models.CharField(
        "texte alternatif de l'image", max_length=250, blank=True
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="articles", verbose_name="rubriques"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="proposé pour",
        help_text="Vide : article de l'équipe du campus.",
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="mentioned_in_articles",
        verbose_name="acteurs cités",
    )
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="articles", verbose_name="métiers"
    )
    events = models.ManyToManyField(
        Event, blank=True, related_name="articles", verbose_name="événements"
    )
    published_at = models.DateTimeField(
        "date de publication",
        null=True,
        blank=True,
        db_index=True,
        help_text="Une date à venir programme la publication.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="auteur",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "article"
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article_detail", args=[self.slug])

    @property
    def is_scheduled(self) -> bool:
        """Published by the team, but for a date still to come."""
        return bool(
            self.is_published
            and self.published_at
            and self.published_at > timezone.now()
        )
