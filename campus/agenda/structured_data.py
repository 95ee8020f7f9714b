"""schema.org `Event` of an event page, as JSON-LD for search engines.

https://schema.org/Event: its status, attendance mode, place (a `Place` with its
address, or a `VirtualLocation`), organiser and offer (free or its price).
"""

from django.conf import settings
from django.utils import timezone

from campus.agenda.models import Event, EventState, PlaceKind

SCHEMA = "https://schema.org/"
STATUSES = {
    EventState.SCHEDULED: "EventScheduled",
    EventState.POSTPONED: "EventPostponed",
    EventState.CANCELLED: "EventCancelled",
}


def _absolute(path: str) -> str:
    return settings.CAMPUS_SITE_URL + path


def _place(event: Event) -> dict:
    if event.place_kind == PlaceKind.ONLINE:
        return {
            "@type": "VirtualLocation",
            "url": event.online_url or _absolute(event.get_absolute_url()),
        }
    if event.place_kind == PlaceKind.SITE:
        holder = event.site or event.organisation
        name, street, commune = holder.name, holder.street_address, holder.commune
    else:
        name = event.venue or event.organisation.name
        street, commune = event.address, event.commune
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if street:
        address["streetAddress"] = street
    if commune is not None:
        address["addressLocality"] = commune.name
        if commune.main_postal_code:
            address["postalCode"] = commune.main_postal_code
    place = {"@type": "Place", "name": name, "address": address}
    if event.latitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": event.latitude,
            "longitude": event.longitude,
        }
    return place


def _dates(event: Event) -> tuple[str, str]:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if event.all_day:
        return start.date().isoformat(), end.date().isoformat()
    return start.isoformat(), end.isoformat()


def event_json_ld(event: Event) -> dict:
    start, end = _dates(event)
    online = event.place_kind == PlaceKind.ONLINE
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": _absolute(event.get_absolute_url()),
        "startDate": start,
        "endDate": end,
        "eventStatus": SCHEMA + STATUSES.get(event.state, "EventScheduled"),
        "eventAttendanceMode": SCHEMA
        + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"),
        "location": _place(event),
        "organizer": {
            "@type": "Organization",
            "name": event.organisation.name,
            "url": _absolute(event.organisation.get_absolute_url()),
        },
        "isAccessibleForFree": event.is_free,
    }
    if event.summary:
        data["description"] = event.summary
    if event.image:
        data["image"] = [_absolute(event.image.url)]
    offer = {
        "@type": "Offer",
        "url": data["url"],
        "availability": SCHEMA + "InStock",
        "priceCurrency": "EUR",
    }
    if event.is_free:
        offer["price"] = "0"
    elif event.price:
        offer["description"] = event.price
    data["offers"] = offer
    return data
