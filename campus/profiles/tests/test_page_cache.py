"""Whole anonymous pages kept in memory (campus/page_cache.py): served again only
while nothing was written, never to or from a logged-in visitor.

Most tests commit their writes (`transaction=True`), as a site does: the stamp
changes when a transaction commits.
"""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers

from campus import page_cache
from campus.accounts.tests.factories import UserFactory
from campus.agenda.tests.factories import EventFactory, ensure_audiences
from campus.moderation import ModerationStatus
from campus.network.models import MemberRole, Organisation
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.opendata.importers.base import insert_rows
from campus.places.models import Region
from campus.profiles.models import ContentVersion

committed = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.CAMPUS_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()


def stamp():
    return ContentVersion.objects.values_list("stamp", flat=True).first()


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "trainings_offering"."id" FROM "trainings_offering"', False),
        ('SAVEPOINT "s1"', False),
        ('INSERT INTO "trainings_offering" ("title") VALUES (%s)', True),
        ('UPDATE "network_organisation" SET "name" = %s', True),
        ('DELETE FROM "agenda_event" WHERE "id" = %s', True),
        ("INSERT OR IGNORE INTO trainings_offering_fts VALUES (1)", True),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "axes_accesslog" ("username") VALUES (%s)', False),
        ("CREATE TABLE t (id integer)", True),
        ("WITH gone AS (DELETE FROM agenda_event RETURNING id) SELECT 1", True),
    ],
)
def test_statements_that_change_content(sql, writes):
    """Reads and the tables no page shows keep the stamp; any other statement,
    including one not recognised, changes it."""
    assert page_cache.is_content_write(sql) is writes


@committed
def test_a_page_is_served_again_with_one_query_until_something_is_written(
    client, django_assert_num_queries
):
    """The second visit costs the stamp's query; after a write the page is rebuilt
    and shows the change."""
    organisation = OrganisationFactory(name="Sellerie Vauban")
    url = organisation.get_absolute_url()
    first = client.get(url)
    assert "Sellerie Vauban" in first.content.decode()
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content

    Organisation.objects.filter(pk=organisation.pk).update(name="Sellerie du Doubs")
    body = client.get(url).content.decode()
    assert "Sellerie du Doubs" in body and "Sellerie Vauban" not in body

    organisation.refresh_from_db()
    organisation.description = "Selles sur mesure depuis 1950."
    organisation.save()
    assert "Selles sur mesure depuis 1950." in client.get(url).content.decode()


@committed
def test_an_event_published_by_the_team_shows_on_the_next_visit(client):
    """The agenda kept before the team publishes an event lists it right after."""
    ensure_audiences()
    team = UserFactory(campus_team=True)
    event = EventFactory(title="Nuit du cuir", submitted=True)
    agenda = reverse("agenda:event_list")
    assert "Nuit du cuir" not in client.get(agenda).content.decode()
    assert client.get(event.get_absolute_url()).status_code == 404

    team_client = Client()
    team_client.force_login(team)
    published = team_client.post(reverse("agenda:event_publish", args=[event.pk]))
    assert published.status_code == 302
    event.refresh_from_db()
    assert event.status == ModerationStatus.PUBLISHED

    assert "Nuit du cuir" in client.get(agenda).content.decode()
    assert client.get(event.get_absolute_url()).status_code == 200


@committed
def test_a_rolled_back_write_keeps_the_pages(client, django_assert_num_queries):
    """A transaction that is rolled back changed nothing: the stamp stays."""
    organisation = OrganisationFactory()
    url = organisation.get_absolute_url()
    client.get(url)
    before = stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(name="Jamais vu")
        raise RuntimeError
    assert stamp() == before
    with django_assert_num_queries(1):
        assert "Jamais vu" not in client.get(url).content.decode()


@committed
def test_the_stamp_changes_when_the_transaction_commits():
    """Inside a transaction the writing connection keeps no page and the stamp
    waits for the commit."""
    OrganisationFactory()
    before = stamp()
    with transaction.atomic():
        Organisation.objects.update(description="Nouveau texte.")
        assert page_cache.current_stamp() is None
        assert stamp() == before
    assert stamp() != before
    assert page_cache.current_stamp() == stamp()


@pytest.mark.django_db
def test_uncommitted_writes_of_the_test_are_seen_by_the_next_visit(client):
    """In a test's transaction (never committed) every visit is rebuilt."""
    organisation = OrganisationFactory(name="Atelier Granvelle")
    url = organisation.get_absolute_url()
    client.get(url)
    Organisation.objects.filter(pk=organisation.pk).update(name="Atelier Battant")
    assert "Atelier Battant" in client.get(url).content.decode()


@committed
def test_copy_imports_change_the_stamp():
    """Rows inserted by the importers' fast path (COPY on PostgreSQL) change it."""
    before = stamp()
    fields = [Region._meta.get_field("code"), Region._meta.get_field("name")]
    with transaction.atomic():
        insert_rows(Region, fields, [("99", "Région d'essai")])
    assert stamp() != before


@committed
def test_a_logged_in_partner_is_never_served_nor_stored(
    client, django_assert_num_queries
):
    """An editor's view of their organisation (edit link, unpublished page) never
    reaches an anonymous visitor, and an anonymous page never reaches the editor."""
    organisation = OrganisationFactory(name="Atelier caché", unpublished=True)
    editor = MembershipFactory(organisation=organisation, role=MemberRole.EDITOR).user
    shown = OrganisationFactory(name="Atelier montré")
    MembershipFactory(organisation=shown, role=MemberRole.EDITOR, user=editor)
    partner = Client()
    partner.force_login(editor)

    hidden_page = partner.get(organisation.get_absolute_url())
    assert hidden_page.status_code == 200
    assert client.get(organisation.get_absolute_url()).status_code == 404

    edit_link = reverse("network:organisation_edit", args=[shown.pk])
    assert edit_link in partner.get(shown.get_absolute_url()).content.decode()
    anonymous = client.get(shown.get_absolute_url()).content.decode()
    assert edit_link not in anonymous and "Se déconnecter" not in anonymous
    with django_assert_num_queries(1):
        client.get(shown.get_absolute_url())
    assert edit_link in partner.get(shown.get_absolute_url()).content.decode()

    space = partner.get(reverse("network:partner_space"))
    assert space.status_code == 200
    assert client.get(reverse("network:partner_space")).status_code == 302


@committed
def test_pages_with_a_form_or_a_cookie_are_not_kept(client):
    """A page that hands out a CSRF token is rebuilt each time, and a visitor who
    sends a session cookie is never served a kept page."""
    OrganisationFactory()
    form = reverse("newsletter:subscribe")
    first = client.get(form)
    assert "csrftoken" in first.cookies
    second = Client().get(form)
    assert "csrftoken" in second.cookies
    assert first.content != second.content

    legal = reverse("profiles:legal_notice")
    Client().get(legal)
    visitor = Client()
    visitor.cookies["sessionid"] = "a" * 32
    with CaptureQueriesContext(connection) as queries:
        visitor.get(legal)
    assert len(queries) > 1


@committed
def test_head_and_htmx_requests_are_answered_by_the_view(client):
    """A HEAD gets headers only and a fragment request its fragment, and neither
    is kept as the page."""
    OrganisationFactory()
    url = reverse("network:directory")
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    page = client.get(url).content.decode()
    assert "<html" in page
    assert (
        "<html" not in client.get(url, headers={"HX-Request": "true"}).content.decode()
    )
    assert client.head(url).content == b""


@committed
def test_the_cache_is_off_at_zero_seconds(client, settings):
    """CAMPUS_PAGE_CACHE_SECONDS = 0 builds every page."""
    settings.CAMPUS_PAGE_CACHE_SECONDS = 0
    organisation = OrganisationFactory()
    client.get(organisation.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(organisation.get_absolute_url())
    assert len(queries) > 1


@login_not_required
def _by_accept(request):
    response = HttpResponse(f"<p>{request.headers.get('Accept', '')}</p>")
    patch_vary_headers(response, ["Accept"])
    return response


urlpatterns = [path("selon-accept/", _by_accept)]


@committed
def test_keys_follow_the_vary_header(client, settings):
    """A response that varies on a header is kept once per value of it."""
    settings.ROOT_URLCONF = __name__
    page_cache.bump(connection)
    html = client.get("/selon-accept/", headers={"Accept": "text/html"})
    json = client.get("/selon-accept/", headers={"Accept": "application/json"})
    assert (html.content, json.content) == (
        b"<p>text/html</p>",
        b"<p>application/json</p>",
    )
    again = client.get("/selon-accept/", headers={"Accept": "text/html"})
    assert again.content == b"<p>text/html</p>"


@pytest.mark.django_db
def test_only_logged_in_pages_carry_the_htmx_csrf_header(client):
    """An anonymous page without a form holds no CSRF token and sets no cookie; a
    logged-in page gives htmx its token."""
    url = reverse("profiles:legal_notice")
    anonymous = client.get(url)
    assert "X-CSRFToken" not in anonymous.content.decode()
    assert not anonymous.cookies
    client.force_login(UserFactory())
    assert "X-CSRFToken" in client.get(url).content.decode()
