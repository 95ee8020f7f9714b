"""The news pages' parts kept under the content stamp (campus/fragments.py): the
same HTML as built from scratch, a write shows on the next visit, a scheduled
article appears at its moment, and the edit link stays its members' own.
"""

import time
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from campus.network.tests.factories import MembershipFactory
from campus.news.models import Article, Category
from campus.news.tests.factories import ArticleFactory, CategoryFactory
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    body,
    committed,
    kept,
)


@committed
def test_news_pages_are_the_same_with_kept_parts_as_built_from_scratch(monkeypatch):
    call_command("load_demo", verbosity=0)
    article = Article.objects.published().order_by("-published_at", "pk").first()
    category = Category.objects.filter(articles__isnull=False).order_by("pk").first()
    urls = [
        "/actualites/",
        "/actualites/?page=2",
        "/actualites/?page=zzz",
        category.get_absolute_url(),
        article.get_absolute_url(),
    ]
    client = Client()
    pages = assert_same_as_built_from_scratch(monkeypatch, client, urls)
    assert escape(article.title) in pages["/actualites/"]
    assert kept(client, "/actualites/", "news_article") == pages["/actualites/"]
    page = kept(client, article.get_absolute_url(), "news_category")
    assert page == pages[article.get_absolute_url()]


@committed
def test_a_new_article_shows_on_the_list_and_its_category():
    category = CategoryFactory(name="Ateliers", slug="ateliers")
    ArticleFactory().categories.add(category)
    client = Client()
    for url in ["/actualites/", category.get_absolute_url()]:
        assert "Un gantier ouvre" not in kept(client, url, "news_article")
    ArticleFactory(title="Un gantier ouvre").categories.add(category)
    for url in ["/actualites/", category.get_absolute_url()]:
        assert "Un gantier ouvre" in body(client, url)


@committed
def test_an_article_page_shows_its_edited_text():
    article = ArticleFactory(body="Une **visite** de l'atelier.")
    client = Client()
    url = article.get_absolute_url()
    assert "<strong>visite</strong>" in kept(client, url, "news_category")
    article.body = "Une **démonstration** de sellerie."
    article.save()
    assert "<strong>démonstration</strong>" in body(client, url)


@committed
def test_a_scheduled_article_appears_at_its_moment():
    """Without any write, the list shows a scheduled article once it is published."""
    # Far enough for the pages to be read back before it: a part that changes
    # within a second or so may be built again at each visit.
    soon = timezone.now() + timedelta(seconds=6)
    ArticleFactory(title="Article programmé", published_at=soon)
    client = Client()
    assert "Article programmé" not in kept(client, "/actualites/", "news_article")
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    assert "Article programmé" in body(client, "/actualites/")


@committed
def test_the_edit_link_stays_the_members_own():
    article = ArticleFactory()
    member = Client()
    member.force_login(MembershipFactory(organisation=article.organisation).user)
    visitor = Client()
    url = article.get_absolute_url()
    assert "Modifier l'article" in kept(member, url, "news_category")
    page = kept(visitor, url, "news_category")
    assert escape(article.title) in page and "Modifier l'article" not in page
