"""Whole anonymous pages kept in memory (campus/page_cache.py): served again only
while nothing they read was written, never to or from a logged-in visitor.

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

from campus import fragments, page_cache
from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Event
from campus.agenda.tests.factories import EventFactory, ensure_audiences
from campus.moderation import ModerationStatus
from campus.network.models import MemberRole, Organisation
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.newsletter.tests.factories import SubscriberFactory
from campus.opendata.importers.base import insert_rows
from campus.places.models import Region
from campus.profiles.models import ContentStamp

committed = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.CAMPUS_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()


def stamp(table="network_organisation"):
    return (
        ContentStamp.objects.filter(name=table).values_list("stamp", flat=True).first()
    )


@pytest.mark.parametrize(
    ("sql", "written"),
    [
        ('SELECT "trainings_offering"."id" FROM "trainings_offering"', set()),
        ('SAVEPOINT "s1"', set()),
        (
            'INSERT INTO "trainings_offering" ("title") VALUES (%s)',
            {"trainings_offering"},
        ),
        ('UPDATE "network_organisation" SET "name" = %s', {"network_organisation"}),
        ('DELETE FROM "agenda_event" WHERE "id" = %s', {"agenda_event"}),
        (
            "INSERT OR IGNORE INTO trainings_offering_fts VALUES (1)",
            {"trainings_offering_fts"},
        ),
        ('UPDATE "django_session" SET "expire_date" = %s', set()),
        ('INSERT INTO "axes_accesslog" ("username") VALUES (%s)', set()),
        ("CREATE TABLE t (id integer)", {page_cache.EVERYTHING}),
        (
            "WITH gone AS (DELETE FROM agenda_event RETURNING id) SELECT 1",
            {page_cache.EVERYTHING},
        ),
    ],
)
def test_statements_that_change_content(sql, written):
    """Reads and the tables no page shows keep the stamps; a write changes its
    table's, and a statement not recognised changes EVERYTHING's."""
    assert page_cache.written_tables(sql) == written


@pytest.mark.parametrize(
    ("sql", "read"),
    [
        (
            'SELECT "network_organisation"."name" FROM "network_organisation" '
            'INNER JOIN "places_commune" ON ("network_organisation"."commune_id" = '
            '"places_commune"."id") WHERE EXISTS(SELECT 1 AS "a" FROM '
            '"agenda_event" U0 LIMIT 1)',
            {"network_organisation", "places_commune", "agenda_event"},
        ),
        (
            "SELECT rowid FROM trainings_offering_fts WHERE search_text MATCH %s",
            {"trainings_offering_fts", "trainings_offering"},
        ),
        ('SELECT "expire_date" FROM "django_session"', set()),
        ("SELECT name, stamp FROM profiles_contentstamp", set()),
    ],
)
def test_tables_a_read_depends_on(sql, read):
    """The tables named after FROM and JOIN, and the table that fills an index the
    database keeps itself."""
    assert page_cache.read_tables(sql) == read


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
        assert page_cache.current_stamps() is None
        assert stamp() == before
    assert stamp() != before
    assert page_cache.current_stamps()["network_organisation"] == stamp()


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
    before = stamp("places_region")
    fields = [Region._meta.get_field("code"), Region._meta.get_field("name")]
    with transaction.atomic():
        insert_rows(Region, fields, [("99", "Région d'essai")])
    assert stamp("places_region") != before


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
    """CAMPUS_PAGE_CACHE_SECONDS = 0 builds every page: the view's own query runs
    on each visit."""
    settings.ROOT_URLCONF = __name__
    settings.CAMPUS_PAGE_CACHE_SECONDS = 0
    OrganisationFactory()
    client.get("/nom/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/nom/")
    assert any("network_organisation" in query["sql"] for query in queries)


@login_not_required
def _by_accept(request):
    response = HttpResponse(f"<p>{request.headers.get('Accept', '')}</p>")
    patch_vary_headers(response, ["Accept"])
    return response


@login_not_required
def _name_then_kept_part(request):
    """A part built from a value the view read before it."""
    name = Organisation.objects.values_list("name", flat=True).get()
    part = fragments.kept(request, "test-name", lambda: f"<p>{name}</p>")
    return HttpResponse(part)


@login_not_required
def _kept_part_alone(request):
    """A page whose only query is inside a kept part."""
    part = fragments.kept(
        request,
        "test-count",
        lambda: f"<p>{Organisation.objects.count()} acteurs</p>",
    )
    return HttpResponse(part)


@login_not_required
def _name_then_part_alone(request):
    """A part that reads all it shows, after the view read an organisation."""
    name = Organisation.objects.order_by("pk").values_list("name", flat=True)[0]
    part = fragments.kept(
        request,
        "test-events",
        lambda: f"<p>{Event.objects.count()} événements</p>",
        alone=True,
    )
    return HttpResponse(f"<h1>{name}</h1>{part}")


urlpatterns = [
    path("selon-accept/", _by_accept),
    path("seule/", _name_then_part_alone),
    path("nom/", _name_then_kept_part),
    path("nombre/", _kept_part_alone),
]


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


@committed
def test_a_write_to_a_table_the_page_did_not_read_keeps_it(
    client, django_assert_num_queries
):
    """A newsletter subscription, a registration or a login leave the directory
    kept: one query serves it."""
    OrganisationFactory(name="Sellerie Vauban")
    event = EventFactory(with_registration=True)
    url = reverse("network:directory")
    first = client.get(url)
    SubscriberFactory()
    event.registrations.create(name="Camille Martin", email="camille@example.org")
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content
    OrganisationFactory(name="Maroquinerie du Doubs")
    assert "Maroquinerie du Doubs" in client.get(url).content.decode()


@committed
def test_a_part_depends_on_what_the_view_read_before_it(client, settings):
    """A part built from a value read outside it is retired by a write to that
    value's table, in a page built each time (logged in, or cache off)."""
    settings.ROOT_URLCONF = __name__
    settings.CAMPUS_PAGE_CACHE_SECONDS = 0
    organisation = OrganisationFactory(name="Sellerie Vauban")
    assert client.get("/nom/").content == b"<p>Sellerie Vauban</p>"
    Organisation.objects.filter(pk=organisation.pk).update(name="Sellerie du Doubs")
    assert client.get("/nom/").content == b"<p>Sellerie du Doubs</p>"


@committed
def test_a_page_built_from_a_kept_part_depends_on_the_parts_tables(
    client, settings, django_assert_num_queries
):
    """A page built while its part was read back from the cache (no query of its
    own) still knows the part's tables: a write to them retires the page."""
    settings.ROOT_URLCONF = __name__
    OrganisationFactory()
    assert client.get("/nombre/").content == b"<p>1 acteurs</p>"
    caches["pages"].clear()
    with django_assert_num_queries(1):
        assert client.get("/nombre/").content == b"<p>1 acteurs</p>"
    with django_assert_num_queries(1):
        client.get("/nombre/")
    OrganisationFactory()
    assert client.get("/nombre/").content == b"<p>2 acteurs</p>"


@committed
def test_a_part_kept_outside_a_page_depends_on_every_table():
    """Outside a request nothing tells what was read before a part: any write
    retires it, as the first write to a table never written does."""
    built = []
    fragments.clear()

    def build():
        built.append(1)
        return len(built)

    assert fragments.kept(None, "test-outside", build) == 1
    assert fragments.kept(None, "test-outside", build) == 1
    SubscriberFactory()
    assert fragments.kept(None, "test-outside", build) == 2


@committed
def test_nothing_is_kept_while_the_stamps_are_gone(client, django_assert_num_queries):
    """A flushed database has no stamps: pages are built each time until a write
    gives EVERYTHING a stamp again."""
    organisation = OrganisationFactory()
    url = organisation.get_absolute_url()
    ContentStamp.objects.all().delete()
    assert page_cache.current_stamps() is None
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 1
    Organisation.objects.filter(pk=organisation.pk).update(name="Atelier Battant")
    assert page_cache.EVERYTHING in page_cache.current_stamps()
    client.get(url)
    with django_assert_num_queries(1):
        assert "Atelier Battant" in client.get(url).content.decode()


@committed
def test_a_part_built_alone_leaves_what_the_page_read_before(client, settings):
    """A part that reads all it shows (`alone`) is not rebuilt when a table the
    page read before it is written, and is when its own is."""
    settings.ROOT_URLCONF = __name__
    settings.CAMPUS_PAGE_CACHE_SECONDS = 0
    organisation = OrganisationFactory(name="Sellerie Vauban")
    client.get("/seule/")
    Organisation.objects.filter(pk=organisation.pk).update(name="Sellerie du Doubs")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/seule/").content.decode()
    assert page == "<h1>Sellerie du Doubs</h1><p>0 événements</p>"
    assert not [query for query in queries if "agenda_event" in query["sql"]]
    EventFactory()
    assert "<p>1 événements</p>" in client.get("/seule/").content.decode()
