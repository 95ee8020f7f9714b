"""French dates, written as people write them: « 1er avril 2026 », « du 3 au 5 avril 2026 ».

The one place where the site formats a date for people (templates use the
`french_date` and `french_date_range` filters, which call these functions), so the
first of the month, the hours (« 14 h 30 ») and the ranges read the same everywhere,
whatever the server's locale; and the one place where a time typed on a Paris wall
clock becomes an instant (`paris_instant`).
"""

import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
STYLES = {"", "heure", "jour", "jour_heure", "mois", "année"}


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The instant a local day starts (midnight, Paris time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class InvalidLocalTime(ValueError):
    """A time of the Paris wall clock that names no instant, or two where that is
    refused; its text is French, for the person who typed it."""


def paris_instant(
    naive: datetime.datetime, *, repeated_hour: Literal["first", "refuse"] = "first"
) -> datetime.datetime:
    """The instant a Paris wall clock shows as `naive`, whatever the server's zone.

    A time in the spring gap (02:30 on the last Sunday of March) names none:
    InvalidLocalTime, which suggests the time that clocks show an hour later. A time
    of the autumn repeated hour (02:30 on the last Sunday of October) names two: the
    first is taken (`repeated_hour="first"`: a call opening or closing then is
    understood as the first), or InvalidLocalTime (`"refuse"`: a booking of an
    equipment is not guessed).
    """
    first = naive.replace(tzinfo=PARIS, fold=0)
    second = naive.replace(tzinfo=PARIS, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    shown = first.astimezone(datetime.UTC).astimezone(PARIS).replace(tzinfo=None)
    if shown != naive:
        raise InvalidLocalTime(
            f"{french_time(naive)} n'existe pas ce jour-là à l'heure de Paris : les "
            "horloges passent de 2 h à 3 h (heure d'été). Choisissez par exemple "
            f"{french_time(shown)}."
        )
    if repeated_hour == "refuse":
        raise InvalidLocalTime(
            f"{french_time(naive)} existe deux fois ce jour-là à l'heure de Paris "
            "(passage à l'heure d'hiver) : choisissez une autre heure."
        )
    return first


def day_number(day: int) -> str:
    return "1er" if day == 1 else str(day)


def french_time(value: datetime.time | datetime.datetime) -> str:
    """« 9 h », « 14 h 30 »."""
    return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")


def french_date(value: datetime.date | None, style: str = "") -> str:
    """« 1er avril 2026 »; styles: « heure » adds « à 14 h 30 », « jour » the weekday
    (« mercredi 1er avril 2026 »), « jour_heure » both, « mois » gives « avril 2026 »
    and « année » « 2026 ». An empty value gives an empty text.
    """
    if value is None or value == "":
        return ""
    if style not in STYLES:
        raise ValueError(f"Unknown date style: {style!r}")
    value = _local(value)
    if style == "année":
        return str(value.year)
    if style == "mois":
        return f"{MONTHS[value.month - 1]} {value.year}"
    text = f"{day_number(value.day)} {MONTHS[value.month - 1]} {value.year}"
    if style.startswith("jour"):
        text = f"{WEEKDAYS[value.weekday()]} {text}"
    if style.endswith("heure") and isinstance(value, datetime.datetime):
        text = f"{text} à {french_time(value)}"
    return text


def french_date_range(start: datetime.date, end: datetime.date | None) -> str:
    """« le 1er avril 2026 », « du 3 au 5 avril 2026 », « du 30 mars au 2 avril 2026 »,
    « du 30 décembre 2026 au 2 janvier 2027 »: what the two dates share is said once.
    """
    start, end = _local(start), _local(end)
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    if end is None or end == start:
        return f"le {french_date(start)}"
    if (start.year, start.month) == (end.year, end.month):
        first = day_number(start.day)
    elif start.year == end.year:
        first = f"{day_number(start.day)} {MONTHS[start.month - 1]}"
    else:
        first = french_date(start)
    return f"du {first} au {french_date(end)}"
