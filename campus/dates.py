"""French dates, written as people write them: « 1er avril 2026 », « du 3 au 5 avril 2026 ».

The one place where the site formats a date for people (templates use the
`french_date` and `french_date_range` filters, which call these functions), so the
first of the month, the hours (« 14 h 30 ») and the ranges read the same everywhere,
whatever the server's locale.
"""

import datetime

from django.utils import timezone

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
