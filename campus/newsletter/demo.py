"""Demo newsletter: a few confirmed subscribers at example.org and one draft issue.

The addresses are fictitious (example.org is reserved for examples, RFC 2606) and
flagged `is_demo`, like the issue, whose page shows the « Démo » badge.
"""

from datetime import timedelta

from django.utils import timezone

from campus.agenda.models import Event
from campus.news.models import Article
from campus.newsletter.models import (
    IssueStatus,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    SubscriberTopic,
    Topic,
)

SUBSCRIBERS = [
    ("lea.martin@example.org", SubscriberStatus.ACTIVE, [Topic.EVENTS, Topic.TRADES]),
    ("parents.eleves@example.org", SubscriberStatus.ACTIVE, [Topic.TRAININGS]),
    ("atelier.cuir@example.org", SubscriberStatus.ACTIVE, list(Topic.values)),
    ("professeur.techno@example.org", SubscriberStatus.PENDING, [Topic.EVENTS]),
    ("ancien.abonne@example.org", SubscriberStatus.UNSUBSCRIBED, [Topic.CALLS]),
]

DEMO_SUBJECT = "La lettre du campus : les portes ouvertes du printemps (démo)"
DEMO_INTRO = (
    "Bonjour,\n\n"
    "Le printemps est la saison des **portes ouvertes** : les écoles et les "
    "centres de formation du réseau vous accueillent pour découvrir leurs ateliers. "
    "Voici les prochains rendez-vous et les dernières nouvelles du campus.\n\n"
    "*Ceci est une lettre de démonstration.*"
)


def load_demo_newsletter() -> None:
    now = timezone.now()
    for email, status, topics in SUBSCRIBERS:
        subscriber, _ = Subscriber.objects.update_or_create(
            email=email,
            defaults={
                "status": status,
                "is_demo": True,
                "confirmation_sent_at": now - timedelta(days=1),
                "confirmed_at": now - timedelta(hours=20)
                if status != SubscriberStatus.PENDING
                else None,
                "unsubscribed_at": now - timedelta(hours=2)
                if status == SubscriberStatus.UNSUBSCRIBED
                else None,
            },
        )
        for code in topics:
            SubscriberTopic.objects.get_or_create(subscriber=subscriber, topic=code)
    issue, _ = NewsletterIssue.objects.update_or_create(
        subject=DEMO_SUBJECT,
        is_demo=True,
        defaults={
            "intro": DEMO_INTRO,
            "topics": [Topic.EVENTS, Topic.TRAININGS, Topic.TRADES],
            "status": IssueStatus.DRAFT,
        },
    )
    issue.articles.set(
        Article.objects.published().filter(is_demo=True).order_by("-published_at")[:3]
    )
    issue.events.set(
        Event.objects.published()
        .filter(is_demo=True, ends_at__gte=now)
        .order_by("starts_at", "pk")[:4]
    )
