import pytest
from django.utils import timezone

from campus.demo import load_demo_campus
from campus.moderation import ModerationStatus
from campus.news.models import Article, Category

pytestmark = pytest.mark.django_db


def test_demo_news_is_believable_labelled_and_loads_twice_without_duplicates(client):
    """The demo has published, scheduled and submitted articles, all « Démo », once each."""
    load_demo_campus()
    counts = (Article.objects.count(), Category.objects.count())
    load_demo_campus()
    assert (Article.objects.count(), Category.objects.count()) == counts
    assert counts[0] >= 5
    assert not Article.objects.filter(is_demo=False).exists()
    published = Article.objects.published()
    assert published.count() >= 4
    assert Article.objects.filter(
        status=ModerationStatus.PUBLISHED, published_at__gt=timezone.now()
    ).exists()
    assert Article.objects.filter(status=ModerationStatus.SUBMITTED).exists()
    page = client.get("/actualites/").content.decode()
    assert "Démo" in page
    assert "CAP Maroquinerie" in page and "métiers d&#x27;art" in page
    assert "Portes ouvertes au lycée Les Huisselets" not in page
