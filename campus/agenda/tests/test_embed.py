"""The agenda widget for partners' sites (/agenda/embed/) and its panel on /agenda/."""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.agenda.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
EMBED = reverse("agenda:agenda_embed")
LIST = reverse("agenda:event_list")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def pasted_tags(body: str) -> list[tuple[str, dict]]:
    """The elements of the panel's code, as a partner's page would read it."""
    shown = re.search(r"<textarea[^>]*>(.*?)</textarea>", body, re.S).group(1)
    parser = _Tags()
    parser.feed(unescape(shown))
    return parser.tags


def titles(response) -> list[str]:
    """The titles of the events the widget lists."""
    return [
        unescape(title)
        for title in re.findall(
            r'<p class="embed-list__title"><a [^>]*>(.*?)<span', response.text
        )
    ]


def test_widget_lists_the_next_published_events_only(client):
    """Drafts, submitted, refused and past events stay out; the nearest comes first."""
    later = EventFactory(title="Salon d'automne")
    sooner = EventFactory(title="Portes ouvertes", tomorrow=True)
    EventFactory(title="Brouillon", draft=True)
    EventFactory(title="Proposé", submitted=True)
    EventFactory(title="Refusé", refused=True)
    EventFactory(title="Passé", past=True)
    response = client.get(EMBED)
    assert response.status_code == 200
    assert titles(response) == [sooner.title, later.title]
    body = response.content.decode()
    assert f'href="{later.get_absolute_url()}" target="_blank" rel="noopener"' in body
    assert "(nouvelle fenêtre)" in body
    assert 'lang="fr"' in body and "<main" in body and "<footer" in body
    assert "site-header" not in body and "site-footer" not in body


def test_widget_applies_the_agenda_filters(client):
    """The list's filters choose the widget's events, and its links keep them."""
    EventFactory(title="Salon", kind="fair")
    EventFactory(title="Atelier", kind="workshop")
    response = client.get(EMBED, {"type": "fair"})
    assert titles(response) == ["Salon"]
    body = unescape(response.content.decode())
    assert f'href="{LIST}?type=fair" target="_blank"' in body
    assert re.search(
        r'<link rel="canonical" href="https?://[^/"]+/agenda/\?type=fair">', body
    )
    assert "Voir tout l'agenda" in body


@pytest.mark.parametrize(("limit", "shown"), [(None, 5), ("1", 1), ("20", 7)])
def test_widget_shows_five_events_or_the_limit_asked(client, limit, shown):
    """Five events by default, up to twenty with « limite »."""
    EventFactory.create_batch(7)
    response = client.get(EMBED, {"limite": limit} if limit else {})
    assert response.status_code == 200
    assert len(titles(response)) == shown


@pytest.mark.parametrize(
    "params",
    [
        {"limite": "0"},
        {"limite": "21"},
        {"limite": "-3"},
        {"limite": "cinq"},
        {"limite": "9" * 5000},
        {"limite": '"><script>alert(1)</script>'},
        {"type": "rave"},
        {"du": "32/13/2026"},
    ],
)
def test_bad_values_answer_400_with_a_french_message(client, params):
    """A broken widget code explains what is wrong instead of an error page."""
    EventFactory()
    response = client.get(EMBED, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Les filtres de ce widget sont invalides" in body
    assert "<script>alert" not in body
    assert titles(response) == []


def test_limit_message_names_the_bounds(client):
    response = client.get(EMBED, {"limite": "50"})
    assert "Nombre de lignes : Indiquez un nombre entier de 1 à 20." in unescape(
        response.content.decode()
    )


def test_only_the_widget_may_be_framed_by_any_site(client):
    """The widget lifts the anti-framing headers; the agenda page keeps them."""
    embed = client.get(EMBED)
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    page = client.get(LIST)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_agenda_page_hands_out_the_widget_code_with_its_filters(client):
    """The panel's iframe code carries the current filters, a title and a height."""
    response = client.get(LIST, {"type": "fair", "gratuit": "on", "page": "2"})
    body = response.content.decode()
    [(tag, attrs)] = pasted_tags(body)
    assert attrs["src"] == "http://testserver/agenda/embed/?type=fair&gratuit=on"
    assert attrs["title"].startswith("Prochains événements — ")
    assert attrs["height"] == "420"
    assert 'href="/agenda/embed/?type=fair&amp;gratuit=on">Aperçu du widget' in body


def test_archive_offers_no_widget(client):
    assert (
        "embed-code" not in client.get(reverse("agenda:event_archive")).content.decode()
    )


def test_hostile_filter_values_cannot_break_out_of_the_code(client):
    """A search typed to close the attribute stays inside it, once pasted too."""
    hostile = '"><script>alert(1)</script><iframe src="x'
    body = client.get(LIST, {"q": hostile}).content.decode()
    assert "<script>alert" not in body
    tags = pasted_tags(body)
    assert [tag for tag, _attrs in tags] == ["iframe"]
    src = tags[0][1]["src"]
    assert parse_qs(urlsplit(src).query) == {"q": [hostile]}


def test_event_slug_embed_is_reserved():
    from campus.agenda.services import RESERVED_SLUGS

    assert "embed" in RESERVED_SLUGS


@pytest.mark.django_db(transaction=True)
def test_widget_served_from_the_page_cache_stays_frameable(
    client, settings, django_assert_num_queries
):
    """Kept like any anonymous page, the widget comes back with its framing headers."""
    settings.CAMPUS_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    EventFactory(title="Salon")
    first = client.get(EMBED)
    with django_assert_num_queries(1):
        again = client.get(EMBED)
    assert again.content == first.content
    assert "X-Frame-Options" not in again.headers
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]
    assert client.get(LIST).headers["X-Frame-Options"] == "DENY"


def test_widget_queries_do_not_grow_with_its_rows(client):
    """Twenty rows cost the queries of one: the rows' relations come prefetched."""
    EventFactory()
    with CaptureQueriesContext(connection) as one:
        client.get(EMBED, {"limite": "1"})
    EventFactory.create_batch(5)
    with CaptureQueriesContext(connection) as six:
        client.get(EMBED, {"limite": "20"})
    assert len(six) == len(one)


def test_code_follows_the_filters_after_an_htmx_swap(client):
    """The panel comes with the results, so a filter changed in place changes the code."""
    body = client.get(
        LIST, {"type": "fair"}, headers={"HX-Request": "true"}
    ).content.decode()
    [(_tag, attrs)] = pasted_tags(body)
    assert attrs["src"] == "http://testserver/agenda/embed/?type=fair"
