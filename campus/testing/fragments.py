"""Tests of the parts kept under the content stamps (campus/fragments.py).

Tests that keep parts commit their writes (`committed`), as a site does: the stamp
changes when a transaction commits, and nothing is kept inside one that wrote.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campus import fragments

committed = pytest.mark.django_db(transaction=True)
# A form's hidden CSRF field, its token in the group.
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def warm(client, url) -> str:
    """The page as read once its parts are kept."""
    body(client, url)
    return body(client, url)


def kept(client, url, table) -> str:
    """The page once its parts are kept, read back without querying `table`."""
    body(client, url)
    with CaptureQueriesContext(connection) as queries:
        page = body(client, url)
    assert not [q for q in queries if table in q["sql"]], url
    return page


def assert_published_object_kept(url, table, unpublish, insider) -> None:
    """A published object's page (`fragments.shown_object`) reads it back without
    querying `table`; once `unpublish()` has run, a visitor gets a 404 on the next
    visit, and `insider` (a client of someone who may see it) still the page."""
    visitor = Client()
    kept(visitor, url, table)
    unpublish()
    assert visitor.get(url).status_code == 404
    assert insider.get(url).status_code == 200


def csrf_token(page: str) -> str:
    """The CSRF token of the first form of a page."""
    return CSRF_FIELD.search(page).group(1)


def assert_typed_values_stay_the_senders(url, field, typed) -> None:
    """A public form sent back with errors shows what its sender typed to its
    sender only, and each visitor's page carries the visitor's own CSRF token
    (each post below is refused without it)."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token = csrf_token(warm(first, url))
    response = first.post(url, {field: typed, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert typed in response.content.decode()
    page = body(second, url)
    assert typed not in page
    assert (
        second.post(url, {"csrfmiddlewaretoken": csrf_token(page)}).status_code == 400
    )


def assert_same_as_built_from_scratch(monkeypatch, client, urls) -> dict[str, str]:
    """Each page is byte for byte the same built with nothing kept, with its parts
    just kept and with them read back; returns the pages."""
    with monkeypatch.context() as patched:
        patched.setattr(fragments, "stamps", lambda request=None: None)
        built = {url: body(client, url) for url in urls}
    fragments.clear()
    first = {url: body(client, url) for url in urls}
    again = {url: body(client, url) for url in urls}
    for url in urls:
        assert first[url] == built[url], url
        assert again[url] == built[url], url
    return again


def same_csrf_token(monkeypatch) -> None:
    """Forms print their CSRF token masked anew on each response: one token for all,
    so that pages with forms compare byte for byte."""
    monkeypatch.setattr(
        "django.template.context_processors.get_token", lambda request: "csrf-token"
    )
