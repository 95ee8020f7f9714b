import pytest
from django.utils import timezone

from campus.moderation import ModerationStatus
from campus.news.models import Article, Category

pytestmark = pytest.mark.django_db


def test_demo_news_is_believable_and_labelled(client, demo_campus):
    """The demo has published, scheduled and submitted articles, all « Démo » (loading
    twice: campus/profiles/tests/test_pages.py)."""
    assert Article.objects.count() >= 5 and Category.objects.exists()
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
