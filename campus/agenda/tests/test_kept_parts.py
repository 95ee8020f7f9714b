"""The agenda's parts kept under the content stamp (campus/fragments.py): the same
HTML as built from scratch, a write shows on the next visit, an event that ends
leaves the events to come at that moment, and the registration box and the edit
link stay each visitor's own.
"""

import hashlib
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campus import fragments
from campus.accounts.tests.factories import UserFactory
from campus.agenda.filters import start_of_day
from campus.agenda.models import Event
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.moderation import ModerationStatus
from campus.network.tests.factories import MembershipFactory
from campus.places.tests.factories import RegionFactory
from campus.profiles.models import CampusProfile
from campus.testing.fragments import (
    CSRF_FIELD,
    assert_same_as_built_from_scratch,
    body,
    committed,
    csrf_token,
    kept,
    warm,
)
from campus.trades.tests.factories import TradeFactory


@committed
def test_agenda_pages_are_the_same_with_kept_parts_as_built_from_scratch(
    monkeypatch,
):
    """On the demo campus, the agenda's pages (with and without filters, an htmx
    swap's results among them) are byte for byte the same built from the database,
    with their parts just kept and read back."""
    call_command("load_demo", verbosity=0)
    upcoming = Event.objects.published().upcoming().order_by("starts_at", "pk")
    event = upcoming.filter(registration_enabled=False).first()
    urls = [
        "/agenda/",
        "/agenda/?type=open_day&gratuit=on",
        "/agenda/?page=2",
        "/agenda/archives/",
        "/agenda/mois/",
        f"/agenda/mois/?mois={timezone.localdate(event.starts_at):%Y-%m}",
        "/agenda/carte/",
        "/agenda/embed/",
        "/agenda/embed/?limite=2&type=open_day",
        event.get_absolute_url(),
    ]
    client = Client()
    pages = assert_same_as_built_from_scratch(monkeypatch, client, urls)
    assert event.title in pages["/agenda/"]
    assert kept(client, "/agenda/mois/", "agenda_event") == pages["/agenda/mois/"]
    page = kept(client, event.get_absolute_url(), "agenda_audience")
    assert page == pages[event.get_absolute_url()]
    swap = client.get("/agenda/", headers={"HX-Request": "true"}).content.decode()
    assert swap.startswith('\n  <section id="results"') and swap in pages["/agenda/"]

    # A page with a registration form differs by its CSRF token alone.
    registering = Event.objects.published().filter(registration_enabled=True)
    url = registering.order_by("pk").first().get_absolute_url()
    with monkeypatch.context() as patched:
        patched.setattr(fragments, "stamps", lambda request=None: None)
        built = CSRF_FIELD.sub("", body(client, url))
    fragments.clear()
    assert "S'inscrire" in built
    assert CSRF_FIELD.sub("", body(client, url)) == built
    assert CSRF_FIELD.sub("", body(client, url)) == built


IN_APRIL_2030 = {"starts_at": timezone.make_aware(timezone.datetime(2030, 4, 3, 10))}


@committed
@pytest.mark.parametrize(
    ("url", "when"),
    [
        ("/agenda/", {}),
        ("/agenda/carte/", {}),
        ("/agenda/embed/", {}),
        ("/agenda/mois/?mois=2030-04", IN_APRIL_2030),
    ],
)
def test_a_new_event_shows_on_the_next_visit(url, when):
    """The events to come, the map, the widget and the month show an event
    published since their results were kept."""
    EventFactory(title="Salon du gant", **when)
    client = Client()
    assert "Nuit du cuir" not in kept(client, url, "agenda_event")
    EventFactory(title="Nuit du cuir", **when)
    assert "Nuit du cuir" in body(client, url)


@committed
def test_the_filters_offer_a_trade_published_since():
    client = Client()
    assert ">Gantier</option>" not in kept(client, "/agenda/", "trades_trade")
    TradeFactory(name="Gantier")
    assert ">Gantier</option>" in body(client, "/agenda/")


@committed
def test_an_event_page_shows_its_edited_description():
    event = EventFactory(description="Une **visite** de l'atelier.")
    client = Client()
    url = event.get_absolute_url()
    assert "<strong>visite</strong>" in kept(client, url, "agenda_audience")
    event.description = "Une **démonstration** de sellerie."
    event.save()
    assert "<strong>démonstration</strong>" in body(client, url)


@committed
def test_an_event_that_ends_leaves_the_events_to_come_at_that_moment():
    """Without any write, the list, the map and the widget drop an event when it
    ends, and the archive takes it."""
    # Far enough for the pages to be read back before it: a part that changes
    # within a second or so may be built again at each visit.
    soon = timezone.now() + timedelta(seconds=6)
    EventFactory(
        title="Atelier qui finit", starts_at=soon - timedelta(hours=1), ends_at=soon
    )
    EventFactory(title="Atelier suivant", starts_at=soon + timedelta(days=1))
    client = Client()
    to_come = ["/agenda/", "/agenda/carte/", "/agenda/embed/"]
    for url in to_come:
        assert "Atelier qui finit" in kept(client, url, "agenda_event")
    assert "Atelier qui finit" not in kept(client, "/agenda/archives/", "agenda_event")
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    for url in to_come:
        page = body(client, url)
        assert "Atelier qui finit" not in page and "Atelier suivant" in page
    assert "Atelier qui finit" in body(client, "/agenda/archives/")


@committed
def test_the_month_marks_today_until_midnight(monkeypatch):
    """The month's results are kept until midnight, when another square is
    today's (or another month is this month)."""
    client = Client()
    page = kept(client, "/agenda/mois/", "agenda_event")
    assert page.count('aria-current="date"') == 1
    now = timezone.now()
    midnight = start_of_day(timezone.localdate(now) + timedelta(days=1))
    after = midnight - now + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: now + after)
    # The kept parts' cache reads its clock as late.
    clock = time.time() + after.total_seconds()
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: clock))
    later = body(client, "/agenda/mois/")
    assert later != page and later.count('aria-current="date"') == 1


@committed
def test_kept_results_are_read_back_without_querying_the_events():
    EventFactory(title="Salon du gant")
    client = Client()
    for url in ["/agenda/", "/agenda/carte/", "/agenda/embed/", "/agenda/archives/"]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            body(client, url)
        assert not [q for q in queries if "agenda_event" in q["sql"]], url
        assert not [q for q in queries if "trades_trade" in q["sql"]], url


@committed
def test_an_event_page_reads_back_its_description_and_places_left():
    """The description, the facts, the JSON-LD and the places left come back
    without their queries; a registration shows on the next visit."""
    event = EventFactory(with_registration=True, capacity=12, trades=[TradeFactory()])
    client = Client()
    url = event.get_absolute_url()
    warm(client, url)
    with CaptureQueriesContext(connection) as queries:
        page = body(client, url)
    assert "12 places disponibles sur 12." in page
    for table in ["trades_trade", "agenda_audience", "agenda_registration"]:
        assert not [q for q in queries if table in q["sql"]], table
    RegistrationFactory(event=event, confirmed=True, places=4)
    assert "8 places disponibles sur 12." in body(client, url)


@committed
def test_a_published_event_page_with_its_parts_kept_costs_the_stamps_alone():
    """Read back with its parts kept, a published event's page with its
    registration box costs the content stamps' query: the event itself is kept
    with every column the page then shows. Unpublished, it is gone for visitors
    at once; its organiser's members still see it, read with their rights."""
    event = EventFactory(with_registration=True, capacity=12)
    client = Client()
    url = event.get_absolute_url()
    assert "12 places disponibles sur 12." in warm(client, url)
    with CaptureQueriesContext(connection) as queries:
        body(client, url)
    assert [query["sql"] for query in queries] == [
        "SELECT name, stamp FROM profiles_contentstamp"
    ]
    Event.objects.filter(pk=event.pk).update(status=ModerationStatus.SUBMITTED)
    assert client.get(url).status_code == 404
    member = Client()
    member.force_login(MembershipFactory(organisation=event.organisation).user)
    assert "12 places disponibles sur 12." in body(member, url)


@committed
def test_the_registration_box_and_edit_link_stay_each_visitors_own():
    """A member sees the edit link and the registrant list, a visitor neither; each
    visitor's form carries their own CSRF token."""
    event = EventFactory(with_registration=True, capacity=12)
    member = MembershipFactory(organisation=event.organisation).user
    url = event.get_absolute_url()
    signed_in, visitor, other = Client(), Client(), Client()
    signed_in.force_login(member)
    team = Client()
    team.force_login(UserFactory(campus_team=True))
    member_page = warm(signed_in, url)
    assert "Modifier l'événement" in member_page
    assert "Voir les inscriptions" in member_page
    assert "Voir les inscriptions" in warm(team, url)
    visitor_page = kept(visitor, url, "agenda_audience")
    for private in ["Modifier l'événement", "Voir les inscriptions"]:
        assert private not in visitor_page
    other_token = csrf_token(body(other, url))
    assert csrf_token(visitor_page) != other_token
    assert visitor.cookies["csrftoken"].value != other.cookies["csrftoken"].value


@committed
def test_the_blank_form_fields_are_kept_and_a_refused_form_shows_its_own():
    """The page's empty fields come from the kept part; a form sent with an error
    shows the visitor's values and message, which no other page then shows."""
    event = EventFactory(with_registration=True, capacity=12)
    client = Client()
    url = event.get_absolute_url()
    blank = warm(client, url)
    key = "campus-fragment.registration-fields"
    assert 'name="name"' in caches["fragments"].get(key)[1]
    refused = client.post(
        f"{url}inscription/",
        {"name": "Camille Martin", "email": "pas-une-adresse", "places": "2"},
    )
    assert refused.status_code == 400
    assert 'value="Camille Martin"' in refused.content.decode()
    for page in [blank, body(client, url), body(Client(), url)]:
        assert "Camille Martin" not in page and 'name="name"' in page


@committed
def test_the_map_element_follows_the_campus_region():
    """The map's element is kept per data address; the campus's région, written
    since, gives its outline on the next visit."""
    outline = reverse("trainings:map_base_layer", args=["27"])
    client = Client()
    assert outline not in kept(client, "/agenda/carte/", "agenda_event")
    digest = hashlib.sha256(reverse("agenda:event_map_data").encode()).hexdigest()
    key = f"campus-fragment.agenda-map.{digest}"
    assert "data-campus-map-base-url" in caches["fragments"].get(key)[1]["element"]
    profile = CampusProfile.load()
    profile.region = RegionFactory(code="27")
    profile.save()
    page = body(client, "/agenda/carte/")
    assert f'data-campus-map-base-url="{outline}"' in page
