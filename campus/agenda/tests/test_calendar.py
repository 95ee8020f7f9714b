"""iCalendar files and feeds, read back with the icalendar library."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campus.agenda import calendar
from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
FEED = reverse("agenda:agenda_ics")
PARIS = ZoneInfo("Europe/Paris")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def entries(cal) -> dict[str, icalendar.Event]:
    return {str(entry["summary"]): entry for entry in cal.walk("VEVENT")}


def paris(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def test_an_event_downloads_as_ics_with_what_a_calendar_needs(client, settings):
    """One event's file has its UID, SEQUENCE, stamps, Paris times with their
    VTIMEZONE, URL, LOCATION and GEO."""
    event = EventFactory(
        title="Portes ouvertes",
        starts_at=paris(dt.date(2030, 4, 3), 9),
        ends_at=paris(dt.date(2030, 4, 3), 12, 30),
    )
    response = client.get(reverse("agenda:event_ics", args=[event.slug]))
    cal = parse(response)
    assert 'filename="' in response["Content-Disposition"]
    [entry] = cal.walk("VEVENT")
    assert (
        str(entry["uid"])
        == event.uid
        == f"event-{event.pk}@{settings.CAMPUS_SITE_DOMAIN}"
    )
    assert entry["sequence"] == 0
    assert entry["dtstart"].dt == paris(dt.date(2030, 4, 3), 9)
    assert entry["dtstart"].params["TZID"] == "Europe/Paris"
    assert entry["dtend"].dt == paris(dt.date(2030, 4, 3), 12, 30)
    assert entry["dtstamp"].dt.tzinfo is not None
    assert entry["last-modified"].dt == event.updated_at.replace(microsecond=0)
    assert str(entry["status"]) == "CONFIRMED"
    assert str(entry["url"]) == settings.CAMPUS_SITE_URL + event.get_absolute_url()
    assert event.organisation.commune.name in str(entry["location"])
    assert entry["geo"].latitude == pytest.approx(event.latitude)
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_all_day_events_have_date_values_ending_the_next_day(client):
    """An all-day event from 3 to 5 April has DTSTART 3 April and DTEND 6 April as DATEs."""
    event = EventFactory(
        all_day=True,
        starts_at=paris(dt.date(2030, 4, 3), 0),
        ends_at=paris(dt.date(2030, 4, 5), 23, 59),
    )
    [entry] = parse(client.get(reverse("agenda:event_ics", args=[event.slug]))).walk(
        "VEVENT"
    )
    assert entry["dtstart"].dt == dt.date(2030, 4, 3)
    assert entry["dtend"].dt == dt.date(2030, 4, 6)
    assert entry["dtstart"].params.get("VALUE") == "DATE"


def test_the_uid_stays_and_the_sequence_follows_edits(client):
    """Editing an event keeps its UID; its SEQUENCE is the event's."""
    event = EventFactory(title="Atelier")
    url = reverse("agenda:event_ics", args=[event.slug])
    before = parse(client.get(url)).walk("VEVENT")[0]
    event.title = "Atelier (nouvel horaire)"
    event.starts_at += dt.timedelta(hours=2)
    event.ends_at += dt.timedelta(hours=2)
    event.sequence += 1
    event.save()
    after = parse(client.get(url)).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert after["sequence"] == before["sequence"] + 1
    assert str(after["summary"]) == "Atelier (nouvel horaire)"
    assert after["last-modified"].dt >= before["last-modified"].dt


def test_cancelled_events_stay_in_the_feed_as_cancelled(client):
    """A cancelled event is in the feed with STATUS:CANCELLED; a postponed one is tentative."""
    EventFactory(title="Annulé", cancelled=True, sequence=1)
    EventFactory(title="Reporté", postponed=True)
    EventFactory(title="Maintenu")
    found = entries(parse(client.get(FEED)))
    assert str(found["Annulé"]["status"]) == "CANCELLED"
    assert found["Annulé"]["sequence"] == 1
    assert "L'atelier est fermé pour travaux." in str(found["Annulé"]["description"])
    assert str(found["Reporté"]["status"]) == "TENTATIVE"
    assert str(found["Maintenu"]["status"]) == "CONFIRMED"


def test_the_feed_carries_the_filters_and_published_events_only(client):
    """The feed with « type=workshop » holds the published workshops only."""
    EventFactory(title="Atelier", kind="workshop")
    EventFactory(title="Salon", kind="fair")
    EventFactory(title="Atelier en projet", kind="workshop", draft=True)
    cal = parse(client.get(FEED, {"type": "workshop"}))
    assert list(entries(cal)) == ["Atelier"]
    assert "Agenda" in str(cal["x-wr-calname"])


def test_the_feed_is_bounded_in_time_and_size(client, monkeypatch):
    """Events ended more than six months ago are left out, and the feed stops at its
    maximum, nearest first."""
    now = timezone.now()
    EventFactory(title="Il y a un an", starts_at=now - dt.timedelta(days=365))
    EventFactory(title="Il y a un mois", starts_at=now - dt.timedelta(days=30))
    for days in (1, 2, 3):
        EventFactory(
            title=f"Dans {days} jours", starts_at=now + dt.timedelta(days=days)
        )
    assert list(entries(parse(client.get(FEED)))) == [
        "Il y a un mois", "Dans 1 jours", "Dans 2 jours", "Dans 3 jours"
    ]  # fmt: skip
    monkeypatch.setattr(calendar, "FEED_MAX_EVENTS", 2)
    cache.clear()
    assert len(entries(parse(client.get(FEED)))) == 2


def test_a_cached_feed_follows_changes(client):
    """The feed is written once while nothing changes, and again after an edit."""
    event = EventFactory(title="Avant")
    assert list(entries(parse(client.get(FEED)))) == ["Avant"]
    event.title = "Après"
    event.sequence += 1
    event.save()
    found = entries(parse(client.get(FEED)))
    assert list(found) == ["Après"]
    assert found["Après"]["sequence"] == 1
    EventFactory(title="Nouveau", starts_at=event.starts_at + dt.timedelta(days=1))
    assert list(entries(parse(client.get(FEED)))) == ["Après", "Nouveau"]


def test_an_online_event_has_its_link_as_location_and_no_geo(client):
    """An online event's LOCATION is its link; it has no GEO."""
    event = EventFactory(online=True)
    [entry] = parse(client.get(reverse("agenda:event_ics", args=[event.slug]))).walk(
        "VEVENT"
    )
    assert "https://visio.exemple.fr/salle-cuir" in str(entry["location"])
    assert "geo" not in entry


def test_a_draft_downloads_only_for_its_organisation(client):
    """A draft's file is a 404 for visitors and downloads for the organiser's members."""
    event = EventFactory(draft=True)
    url = reverse("agenda:event_ics", args=[event.slug])
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory(organisation=event.organisation).user)
    assert client.get(url).status_code == 200
    # The subscribable feed stays public-only, even for a member.
    assert event.title not in entries(parse(client.get(FEED)))


def test_feed_text_cannot_inject_properties(client):
    """Line breaks and semicolons typed in a title stay inside SUMMARY."""
    EventFactory(title="Atelier\r\nSTATUS:CANCELLED;X=1")
    cal = parse(client.get(FEED))
    [entry] = cal.walk("VEVENT")
    assert str(entry["status"]) == "CONFIRMED"
