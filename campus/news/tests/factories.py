from datetime import timedelta

import factory
from django.utils import timezone

from campus.moderation import ModerationStatus
from campus.network.tests.factories import OrganisationFactory
from campus.news.models import Article, Category


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Rubrique {n}")
    slug = factory.Sequence(lambda n: f"rubrique-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article of an organisation; Traits give the other states."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Un nouvel atelier de maroquinerie n° {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "L'atelier ouvre ses portes aux apprentis."
    body = "Trois postes d'apprentis **maroquiniers** à pourvoir."
    organisation = factory.SubFactory(OrganisationFactory)
    status = ModerationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        team = factory.Trait(organisation=None)
        draft = factory.Trait(status=ModerationStatus.DRAFT, published_at=None)
        submitted = factory.Trait(status=ModerationStatus.SUBMITTED, published_at=None)
        refused = factory.Trait(
            status=ModerationStatus.REFUSED,
            published_at=None,
            refusal_reason="Hors sujet.",
        )
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(
                lambda: timezone.now() + timedelta(days=3)
            )
        )
