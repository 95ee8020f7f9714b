"""The agenda as iCalendar (RFC 5545), built with the `icalendar` library.

One event downloads as a `.ics` file; the agenda with any filter is a feed that
calendar applications subscribe to (`webcal:`). What a subscriber's application
needs to follow changes:

- `UID` is `Event.uid`, stable for the life of the event, and `SEQUENCE` is
  `Event.sequence`, bumped by the publishing services when a published event
  changes for attendees; `DTSTAMP` and `LAST-MODIFIED` are its last change;
- a cancelled event stays in the feed with `STATUS:CANCELLED`, so applications
  remove or strike it instead of keeping a ghost;
- times are in Europe/Paris with its `VTIMEZONE`; an all-day event has `DATE`
  values, its `DTEND` being the day after its last day, as the RFC says.

A feed is bounded: events that ended less than FEED_PAST_DAYS ago and every
upcoming one, FEED_MAX_EVENTS at most (the nearest first). Calendar applications
poll feeds, and icalendar takes about a millisecond an event to write one, so a
feed's text is cached, keyed on its filters and on the latest change among its
events (FEED_CACHE_SECONDS at most, for changes saved without `updated_at`).
"""

import datetime as dt
import hashlib

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from campus.agenda.models import Event, EventState, PlaceKind
from campus.dates import PARIS

FEED_PAST_DAYS = 183
FEED_MAX_EVENTS = 500
FEED_CACHE_SECONDS = 600
PRODID = "-//Campus des métiers et des qualifications//Agenda//FR"
STATUSES = {
    EventState.SCHEDULED: "CONFIRMED",
    # RFC 5545 has no « postponed »: the event stays, its dates say the rest.
    EventState.POSTPONED: "TENTATIVE",
    EventState.CANCELLED: "CANCELLED",
}


def _feed_window(queryset):
    # From the start of a day, so that a feed's events change once a day at most.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return queryset.filter(ends_at__gte=today - dt.timedelta(days=FEED_PAST_DAYS))


def feed_events(queryset):
    """The events a feed carries, nearest first, with what the entries read."""
    return (
        _feed_window(queryset)
        .select_related("organisation__commune", "site__commune", "commune")
        .order_by("starts_at", "pk")[:FEED_MAX_EVENTS]
    )


def feed(queryset, *, name: str, key: str) -> bytes:
    """The feed of the events, from the cache while none of them has changed."""
    state = _feed_window(queryset).aggregate(
        latest=Max("updated_at"), count=Count("pk"), last=Max("pk")
    )
    digest = hashlib.sha256(
        f"{key}|{name}|{state}|{timezone.localdate()}".encode()
    ).hexdigest()
    cache_key = f"agenda-feed-{digest}"
    body = cache.get(cache_key)
    if body is None:
        body = calendar(feed_events(queryset), name=name)
        cache.set(cache_key, body, FEED_CACHE_SECONDS)
    return body


def event_location(event: Event) -> str:
    """Where the event takes place, as one line: a venue, an address, a commune."""
    if event.place_kind == PlaceKind.ONLINE:
        return f"En ligne : {event.online_url}" if event.online_url else "En ligne"
    if event.place_kind == PlaceKind.SITE:
        site = event.site
        if site is not None:
            commune = site.commune
            parts = [site.name, site.street_address, commune.name if commune else ""]
        else:
            organisation = event.organisation
            commune = organisation.commune
            parts = [
                organisation.name,
                organisation.street_address,
                commune.name if commune else "",
            ]
    else:
        commune = event.commune
        parts = [event.venue, event.address, commune.name if commune else ""]
    return ", ".join(part for part in parts if part)


def _description(event: Event, url: str) -> str:
    lines = [event.summary] if event.summary else []
    if event.state != EventState.SCHEDULED:
        lines.insert(0, f"{event.get_state_display()}. {event.state_note}".strip())
    lines.append(f"Organisé par {event.organisation.name}.")
    lines.append(url)
    return "\n\n".join(lines)


def vevent(event: Event) -> icalendar.Event:
    url = settings.CAMPUS_SITE_URL + event.get_absolute_url()
    entry = icalendar.Event()
    entry.add("uid", event.uid)
    entry.add("sequence", event.sequence)
    changed = event.updated_at or event.created_at or timezone.now()
    entry.add("dtstamp", changed.astimezone(dt.UTC))
    entry.add("last-modified", changed.astimezone(dt.UTC))
    entry.add("summary", event.title)
    start = event.starts_at.astimezone(PARIS)
    end = event.ends_at.astimezone(PARIS)
    if event.all_day:
        entry.add("dtstart", start.date())
        entry.add("dtend", end.date() + dt.timedelta(days=1))
    else:
        entry.add("dtstart", start)
        entry.add("dtend", end)
    entry.add("status", STATUSES.get(event.state, "CONFIRMED"))
    entry.add("description", _description(event, url))
    entry.add("url", url)
    location = event_location(event)
    if location:
        entry.add("location", location)
    if event.place_kind != PlaceKind.ONLINE and event.latitude is not None:
        entry.add("geo", (event.latitude, event.longitude))
    entry.add(
        "organizer",
        f"{settings.CAMPUS_SITE_URL}{event.organisation.get_absolute_url()}",
        parameters={"cn": event.organisation.name},
    )
    entry.add("categories", [event.get_kind_display()])
    return entry


def calendar(events, *, name: str) -> bytes:
    """A VCALENDAR of the events, with the VTIMEZONE their times use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    # Subscribed applications refresh at most every six hours.
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"value": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    for event in events:
        cal.add_component(vevent(event))
    cal.add_missing_timezones()
    return cal.to_ical()
