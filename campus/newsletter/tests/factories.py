from datetime import timedelta

import factory
from django.utils import timezone

from campus.agenda.models import Event, EventKind
from campus.moderation import ModerationStatus
from campus.network.tests.factories import OrganisationFactory
from campus.news.models import Article
from campus.newsletter.models import (
    IssueStatus,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    SubscriberTopic,
    Topic,
)


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"abonne{n}@exemple.fr")
    status = SubscriberStatus.PENDING
    confirmation_sent_at = factory.LazyFunction(timezone.now)

    class Params:
        active = factory.Trait(
            status=SubscriberStatus.ACTIVE,
            confirmed_at=factory.LazyFunction(timezone.now),
        )
        unsubscribed = factory.Trait(
            status=SubscriberStatus.UNSUBSCRIBED,
            confirmed_at=factory.LazyFunction(timezone.now),
            unsubscribed_at=factory.LazyFunction(timezone.now),
        )
        expired = factory.Trait(
            confirmation_sent_at=factory.LazyFunction(
                lambda: timezone.now() - timedelta(days=8)
            )
        )

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create:
            for code in extracted if extracted is not None else [Topic.EVENTS]:
                SubscriberTopic.objects.create(subscriber=obj, topic=code)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    subject = factory.Sequence(lambda n: f"La lettre n° {n}")
    intro = "Bonjour, voici les **nouvelles** du campus."
    topics = factory.LazyFunction(lambda: [Topic.EVENTS])
    status = IssueStatus.DRAFT


class PublishedEventFactory(factory.django.DjangoModelFactory):
    """An upcoming published event; the agenda's own factories may replace it."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Portes ouvertes n° {n}")
    slug = factory.Sequence(lambda n: f"portes-ouvertes-{n}")
    kind = EventKind.OPEN_DAY
    organisation = factory.SubFactory(OrganisationFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=4))
    summary = "Visitez les ateliers."
    status = ModerationStatus.PUBLISHED


class PublishedArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Actualité n° {n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    summary = "Une nouvelle du réseau."
    body = "Le texte."
    status = ModerationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
