"""The equipment's calendars: the public week view, and the manager's iCalendar feed.

The public week shows approved bookings as « Réservé » only, never who booked. Days
are Paris days: a clock-change Sunday lasts 23 or 25 hours, and a slot across
midnight appears on both days.
"""

import datetime as dt
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.utils import timezone

from campus.dates import WEEKDAYS, french_date, french_time
from campus.platforms.models import Booking, Equipment
from campus.platforms.times import PARIS, day_bounds, utc

PRODID = "-//Campus des métiers et des qualifications//Plateformes//FR"
FEED_PAST_DAYS = 183


@dataclass
class Slot:
    start: dt.datetime  # Paris time, clipped to the day
    end: dt.datetime
    starts_before: bool
    ends_after: bool
    offset: float  # where the slot starts and how long it lasts, in % of the day
    width: float

    @property
    def label(self) -> str:
        start = "0 h" if self.starts_before else french_time(self.start)
        end = "24 h" if self.ends_after else french_time(self.end)
        if self.starts_before and self.ends_after:
            return "Réservé toute la journée"
        return f"Réservé de {start} à {end}"


@dataclass
class Day:
    date: dt.date
    slots: list[Slot]

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()].capitalize()

    @property
    def label(self) -> str:
        return french_date(self.date, "jour")


def week(equipment: Equipment, monday: dt.date) -> list[Day]:
    """The seven Paris days from `monday`, with the approved bookings of each."""
    start = day_bounds(monday)[0]
    end = day_bounds(monday + dt.timedelta(days=6))[1]
    bookings = list(
        equipment.bookings.approved()
        .overlapping(start, end)
        .order_by("starts_at", "pk")
        # The equipment's key too: the related manager reads it on each row to
        # attach the equipment, which would cost a query a booking if deferred.
        .only("starts_at", "ends_at", "equipment")
    )
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        day_start, day_end = day_bounds(day)
        length = (day_end - day_start).total_seconds()
        slots = []
        for booking in bookings:
            if booking.ends_at <= day_start or booking.starts_at >= day_end:
                continue
            slot_start = max(utc(booking.starts_at), day_start)
            slot_end = min(utc(booking.ends_at), day_end)
            slots.append(
                Slot(
                    start=slot_start.astimezone(PARIS),
                    end=slot_end.astimezone(PARIS),
                    starts_before=booking.starts_at <= day_start,
                    ends_after=booking.ends_at >= day_end,
                    offset=round(
                        100 * (slot_start - day_start).total_seconds() / length, 2
                    ),
                    width=round(
                        100 * (slot_end - slot_start).total_seconds() / length, 2
                    ),
                )
            )
        days.append(Day(date=day, slots=slots))
    return days


def _vevent(booking: Booking) -> icalendar.Event:
    entry = icalendar.Event()
    host = settings.CAMPUS_SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    entry.add("uid", f"reservation-{booking.pk}@{host}")
    changed = booking.updated_at or timezone.now()
    entry.add("dtstamp", changed.astimezone(dt.UTC))
    entry.add("last-modified", changed.astimezone(dt.UTC))
    requester = booking.requester.get_full_name()
    entry.add(
        "summary",
        f"{booking.equipment.name} : {requester} ({booking.organisation.name})",
    )
    entry.add("dtstart", booking.starts_at.astimezone(PARIS))
    entry.add("dtend", booking.ends_at.astimezone(PARIS))
    entry.add("status", "CONFIRMED")
    entry.add(
        "description",
        f"{booking.purpose}\n\nDemandé par {requester} <{booking.requester.email}> "
        f"pour {booking.organisation.name}.",
    )
    location = booking.equipment.location
    if location:
        entry.add("location", location)
    return entry


def booking_feed(equipment: Equipment) -> bytes:
    """The approved bookings of the equipment, from six months ago on, for its manager."""
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    bookings = (
        equipment.bookings.approved()
        .filter(ends_at__gte=since)
        .select_related("requester", "organisation", "equipment__organisation")
        .order_by("starts_at", "pk")
    )
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Réservations : {equipment.name}")
    cal.add("x-wr-timezone", "Europe/Paris")
    for booking in bookings:
        cal.add_component(_vevent(booking))
    cal.add_missing_timezones()
    return cal.to_ical()
