import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.network.filters import DirectoryFilter
from campus.places.tests.factories import DepartementFactory
from campus.profiles.templatetags.lists import demo_badge, rendering_key
from campus.trainings.filters import OfferingFilter

pytestmark = pytest.mark.django_db


def without_token(content: bytes) -> bytes:
    # The CSRF token is masked anew on every response.
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)


def key(data, filterset=OfferingFilter):
    form = filterset(data).form
    form.is_valid()
    return rendering_key(form)


def test_rendering_key_is_the_same_for_the_same_values():
    """Two forms with the same values, errors and choices share their key."""
    DepartementFactory(code="21")
    assert key({"q": "cuir", "departement": "21"}) == key(
        {"q": "cuir", "departement": "21"}
    )


@pytest.mark.parametrize(
    "other",
    [{"q": "bois"}, {"q": "cuir", "niveau": "9"}, {"q": "cuir", "voie": "school"}],
)
def test_rendering_key_changes_with_values_and_errors(other):
    """Another value, or an error, gives another key."""
    assert key({"q": "cuir"}) != key(other)


def test_rendering_key_changes_with_the_choices_offered():
    """A new département among the choices gives another key."""
    DepartementFactory(code="21")
    before = key({}, DirectoryFilter)
    DepartementFactory(code="25", name="Doubs")
    assert key({}, DirectoryFilter) != before


@pytest.mark.parametrize(
    "url", [reverse("trainings:catalogue"), reverse("network:directory")]
)
def test_a_new_departement_shows_in_a_cached_filter_panel(client, url):
    """The filter panel, cached after a first page, offers a département added since."""
    DepartementFactory(code="21")
    client.get(url)
    DepartementFactory(code="25", name="Doubs")
    assert "Doubs" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("trainings:catalogue") + "?q=cuir&niveau=3&departement=21",
        reverse("network:directory") + "?q=cuir&type=nope",
        reverse("trades:trade_list") + "?q=sellier&metiers_art=on",
        reverse("trainings:map") + "?voie=school",
    ],
)
def test_a_cached_filter_panel_is_the_page_rendered_afresh(client, url):
    """A page served with its cached filter panel is the page rendered afresh."""
    DepartementFactory(code="21")
    cache.clear()
    fresh = client.get(url).content
    assert without_token(client.get(url).content) == without_token(fresh)


@pytest.mark.parametrize(("is_demo", "expected"), [(True, 1), (False, 0)])
def test_demo_badge_marks_only_fictitious_items(is_demo, expected):
    """The « Démo » badge shows on demo items only, as a filter and as a component."""
    item = SimpleNamespace(is_demo=is_demo)
    assert demo_badge(item).count("Démo") == expected
    rendered = render_to_string("components/demo_badge.html", {"item": item})
    assert rendered.count("Démo") == expected


@pytest.mark.parametrize(
    "url",
    [
        reverse("trainings:catalogue"),
        reverse("network:directory"),
        reverse("trades:trade_list"),
    ],
)
def test_a_cached_filter_panel_costs_the_same_queries(client, url):
    """A page costs the same queries whether its filter panel is cached or not."""
    DepartementFactory(code="21")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(cold) == len(warm)
