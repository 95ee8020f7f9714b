import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, RequestContext
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus import fragments
from campus.network.filters import DirectoryFilter
from campus.news.tests.factories import ArticleFactory
from campus.places.tests.factories import DepartementFactory
from campus.profiles.templatetags import lists
from campus.profiles.templatetags.lists import demo_badge, filter_panel_key
from campus.trainings.filters import OfferingFilter

pytestmark = pytest.mark.django_db
# The stamp changes when a transaction commits and nothing is kept inside one that
# wrote: tests of kept panels commit their writes, as a site does.
committed = pytest.mark.django_db(transaction=True)


def without_token(content: bytes) -> bytes:
    # The CSRF token is masked anew on every response.
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)


def key(data, filterset=OfferingFilter, request=None):
    form = filterset(data).form
    form.is_valid()
    context = Context({}) if request is None else RequestContext(request)
    return filter_panel_key(context, form)


@committed
def test_filter_panel_key_is_the_same_for_the_same_values(rf):
    """Two forms with the same values and errors share their key."""
    DepartementFactory(code="21")
    request = rf.get("/formations/")
    first = key({"q": "cuir", "departement": "21"}, request=request)
    assert key({"q": "cuir", "departement": "21"}, request=request) == first


@pytest.mark.parametrize(
    "other",
    [
        {"q": "bois"},
        {"q": "cuir", "niveau": "9"},
        {"q": "cuir", "voie": "school"},
        {"q": "cuir", "rayon": "500"},
    ],
)
@committed
def test_filter_panel_key_changes_with_values_and_errors(rf, other):
    """Another value, or an error, gives another key."""
    request = rf.get("/formations/")
    assert key({"q": "cuir"}, request=request) != key(other, request=request)


@committed
def test_filter_panel_key_changes_with_the_choices_offered(rf):
    """A new département among the choices gives another key."""
    DepartementFactory(code="21")
    before = key({}, DirectoryFilter, rf.get("/annuaire/"))
    DepartementFactory(code="25", name="Doubs")
    assert key({}, DirectoryFilter, rf.get("/annuaire/")) != before


@committed
def test_filter_panel_key_outlives_a_write_that_leaves_the_form(rf):
    """After a write that changes nothing the form shows (an article), the key is
    the same: the panel rendered before the write is served."""
    DepartementFactory(code="21")
    before = key({"q": "cuir"}, DirectoryFilter, rf.get("/annuaire/"))
    stamps = fragments.stamps(rf.get("/"))
    ArticleFactory()
    assert fragments.stamps(rf.get("/")) != stamps
    assert key({"q": "cuir"}, DirectoryFilter, rf.get("/annuaire/")) == before


@committed
def test_filter_panel_key_is_read_back_under_the_stamp(rf, monkeypatch):
    """Under one stamp the key is computed once for the same values; a request
    that may write, or a rendering outside a request, computes it."""
    computed = []
    monkeypatch.setattr(
        lists, "rendering_key", lambda form: computed.append(form) or "digest"
    )
    assert key({"q": "cuir"}, request=rf.get("/formations/")) == "digest"
    assert key({"q": "cuir"}, request=rf.get("/formations/")) == "digest"
    assert len(computed) == 1
    key({"q": "cuir"}, request=rf.post("/formations/"))
    key({"q": "cuir"})
    assert len(computed) == 3


@pytest.mark.parametrize(
    "url", [reverse("trainings:catalogue"), reverse("network:directory")]
)
@committed
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
@committed
def test_a_cached_filter_panel_is_the_page_rendered_afresh(client, url):
    """A page served with its cached filter panel is the page rendered afresh."""
    DepartementFactory(code="21")
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
@committed
def test_a_cached_filter_panel_costs_the_same_queries(client, url):
    """A page costs the same queries whether its filter panel is cached or not (the
    other kept parts are built each time)."""
    DepartementFactory(code="21")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    fragments.clear()
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(cold) == len(warm)
