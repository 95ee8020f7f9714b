"""The trainings widget for partners' sites (/formations/embed/) and its panel."""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.network.tests.factories import OrganisationFactory
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db
EMBED = reverse("trainings:catalogue_embed")
CATALOGUE = reverse("trainings:catalogue")


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
    """The trainings the widget lists, in its order."""
    return [
        unescape(title)
        for title in re.findall(
            r'<p class="embed-list__title"><a [^>]*>(.*?)<span',
            response.content.decode(),
        )
    ]


def test_widget_lists_published_trainings_with_what_a_visitor_needs(client):
    """Certification, level, route, school, place and start; hidden ones stay out."""
    offering = OfferingFactory(
        certification__title="CAP Sellerie", start_dates="septembre"
    )
    OfferingFactory(certification__title="Cachée", unpublished=True)
    OfferingFactory(
        certification__title="D'un lycée non publié",
        organisation=OrganisationFactory(unpublished=True),
    )
    response = client.get(EMBED)
    assert response.status_code == 200
    assert titles(response) == ["CAP Sellerie"]
    body = unescape(response.content.decode())
    link = f'href="{offering.get_absolute_url()}" target="_blank" rel="noopener"'
    assert link in body
    assert "(nouvelle fenêtre)" in body
    assert offering.organisation.name in body
    assert offering.get_route_display() in body
    assert "Rentrée : septembre" in body
    assert 'lang="fr"' in body and "<main" in body and "<footer" in body
    assert "site-header" not in body


def test_widget_applies_the_catalogue_filters(client):
    """The catalogue's filters choose the trainings; its links keep them."""
    OfferingFactory(certification__title="CAP Maroquinerie")
    bac = OfferingFactory(certification__bac_pro=True, apprenticeship=True)
    response = client.get(EMBED, {"voie": "apprentissage", "limite": "3"})
    assert titles(response) == [bac.certification.title]
    body = unescape(response.content.decode())
    # The catalogue page, without the widget's own limit.
    assert f'href="{CATALOGUE}?voie=apprentissage" target="_blank"' in body
    assert re.search(
        r'<link rel="canonical" href="https?://[^/"]+/formations/\?voie=apprentissage">',
        body,
    )
    assert "Voir toutes les formations" in body


@pytest.mark.parametrize(("limit", "shown"), [(None, 5), ("2", 2), ("20", 6)])
def test_widget_shows_five_trainings_or_the_limit_asked(client, limit, shown):
    OfferingFactory.create_batch(6)
    response = client.get(EMBED, {"limite": limit} if limit else {})
    assert len(titles(response)) == shown


@pytest.mark.parametrize(
    "params",
    [
        {"limite": "0"},
        {"limite": "21"},
        {"limite": "1.5"},
        {"limite": "<b>"},
        {"niveau": "9"},
        {"departement": "999"},
        {"rayon": "x"},
    ],
)
def test_bad_values_answer_400_with_a_french_message(client, params):
    """A broken widget code explains what is wrong instead of an error page."""
    OfferingFactory()
    response = client.get(EMBED, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Les filtres de ce widget sont invalides" in body
    assert "<b>" not in body
    assert 'class="embed-list"' not in body


def test_only_the_widget_may_be_framed_by_any_site(client):
    """The widget lifts the anti-framing headers; the catalogue keeps them."""
    embed = client.get(EMBED)
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    page = client.get(CATALOGUE)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_catalogue_hands_out_the_widget_code_with_its_filters(client):
    """The panel's iframe code carries the current filters, a title and a height."""
    OfferingFactory()
    body = client.get(CATALOGUE, {"voie": "scolaire", "niveau": "3"}).content.decode()
    [(tag, attrs)] = pasted_tags(body)
    assert tag == "iframe"
    assert attrs["src"] == "http://testserver/formations/embed/?voie=scolaire&niveau=3"
    assert attrs["title"].startswith("Formations — ")
    assert attrs["height"] == "480"
    assert "Copier le code" in body
    assert 'href="/formations/embed/?voie=scolaire&amp;niveau=3">Aperçu' in body


def test_hostile_filter_values_cannot_break_out_of_the_code(client):
    """A search typed to close the attribute stays inside it, once pasted too."""
    hostile = "\"'><img src=x onerror=alert(1)>&amp;"
    body = client.get(CATALOGUE, {"q": hostile}).content.decode()
    assert "<img src=x" not in body
    [(tag, attrs)] = pasted_tags(body)
    assert tag == "iframe"
    assert parse_qs(urlsplit(attrs["src"]).query) == {"q": [hostile]}


def test_catalogue_with_bad_filters_offers_no_code(client):
    response = client.get(CATALOGUE, {"niveau": "9"})
    assert response.status_code == 400
    assert "embed-code" not in response.content.decode()


def test_widget_queries_do_not_grow_with_its_rows(client):
    """Twenty rows cost the queries of one: the rows' relations come prefetched."""
    OfferingFactory()
    with CaptureQueriesContext(connection) as one:
        client.get(EMBED, {"limite": "1"})
    OfferingFactory.create_batch(5)
    with CaptureQueriesContext(connection) as six:
        client.get(EMBED, {"limite": "20"})
    assert len(six) == len(one)


def test_map_code_follows_the_filters_after_an_htmx_swap(client):
    """The map's panel comes with its results, so a filter changed in place changes
    the code to copy."""
    body = client.get(
        reverse("trainings:map"),
        {"voie": "apprentissage"},
        headers={"HX-Request": "true"},
    ).content.decode()
    [(tag, attrs)] = pasted_tags(body)
    assert attrs["src"] == "http://testserver/carte/embed/?voie=apprentissage"
    assert attrs["title"].startswith("Carte des formations — ")
