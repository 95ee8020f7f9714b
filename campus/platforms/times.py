"""Booking times are typed and shown in Europe/Paris, whatever the server's zone.

A wall-clock time is turned into an instant by the booking form, once
(`campus.dates.paris_instant` with `repeated_hour="refuse"`): a time in the spring
gap (02:30 on the last Sunday of March) does not exist and is refused; a time of
the autumn repeated hour (02:30 on the last Sunday of October) happens twice and is
refused too, rather than guessed. Durations are elapsed time, so a night across
a clock change lasts an hour less or more than its wall-clock difference.
"""

import datetime as dt

from campus.dates import PARIS


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str) -> dt.date:
    """The Monday of an ISO week written « 2027-W12 »; ValueError otherwise."""
    year, sep, week = value.partition("-W")
    if not (sep and len(year) == 4 and year.isdigit() and week.isdigit()):
        raise ValueError(value)
    if not 1 <= int(week) <= 53 or not 2000 <= int(year) <= 2100:
        raise ValueError(value)
    return dt.date.fromisocalendar(int(year), int(week), 1)


def week_label(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def utc(value: dt.datetime) -> dt.datetime:
    """The instant in UTC. Python subtracts two datetimes of the same zone by their
    wall clocks (22:00 to 10:00 across the spring change gives 12 hours, not 11):
    every duration is computed between UTC instants."""
    return value.astimezone(dt.UTC)


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    return utc(end) - utc(start)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants (UTC) of the midnights starting and ending the Paris day: 23 or
    25 hours apart on clock-change days."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=PARIS)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=PARIS)
    return utc(start), utc(end)
