"""The API documentation's examples and the datasets' facts, kept under the content
stamp: the same pages as built from scratch, a write or the moment that changes
them shows on the next visit, and they are read back without their queries."""

import time
from datetime import datetime, timedelta
from datetime import time as day_start

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campus.api.api import _next_change_of_examples
from campus.network.tests.factories import OrganisationFactory
from campus.news.tests.factories import ArticleFactory
from campus.offers.tests.factories import OfferFactory
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    body,
    committed,
    warm,
)


@committed
def test_api_documentation_and_datasets_are_the_same_as_built_from_scratch(
    monkeypatch,
):
    """On the demo campus, /api/ and /donnees/ are byte for byte the same built from
    the database and read back."""
    call_command("load_demo", verbosity=0)
    pages = assert_same_as_built_from_scratch(
        monkeypatch, Client(), ["/api/", "/donnees/"]
    )
    assert "Un article : " in pages["/api/"]


@committed
def test_a_write_shows_on_the_next_visit():
    """The organisation given as example and the directory's update date follow
    the next write."""
    client = Client()
    empty = warm(client, "/donnees/").count("Pas encore de données.")
    first = OrganisationFactory(slug="atelier-premier")
    assert body(client, "/donnees/").count("Pas encore de données.") == empty - 1
    assert "/api/v1/organisations/atelier-premier" in warm(client, "/api/")
    first.is_published = False
    first.save()
    OrganisationFactory(slug="atelier-second")
    page = body(client, "/api/")
    assert "atelier-premier" not in page
    assert "/api/v1/organisations/atelier-second" in page


@committed
def test_a_scheduled_article_becomes_the_example_when_published():
    """An article whose publication comes shows among the examples at that moment,
    without any write."""
    soon = timezone.now() + timedelta(seconds=2)
    ArticleFactory(slug="article-programme", published_at=soon)
    client = Client()
    assert "article-programme" not in warm(client, "/api/")
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    assert "/api/v1/actualites/article-programme" in body(client, "/api/")


@committed
def test_the_examples_change_when_the_offer_shown_expires():
    """The offer given as example leaves them at the end of its last day."""
    last_day = timezone.localdate() + timedelta(days=3)
    OfferFactory(expires_on=last_day)
    OfferFactory(expires_on=last_day + timedelta(days=9))
    end = timezone.make_aware(
        datetime.combine(last_day + timedelta(days=1), day_start.min)
    )
    assert _next_change_of_examples(timezone.now()) == end


@committed
def test_kept_parts_are_read_back_without_their_queries():
    """Read back, the examples and the datasets' facts query none of their rows."""
    OrganisationFactory()
    ArticleFactory()
    client = Client()
    for url, table in [("/api/", "news_article"), ("/donnees/", "agenda_event")]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            body(client, url)
        assert not [q for q in queries if table in q["sql"]], url
