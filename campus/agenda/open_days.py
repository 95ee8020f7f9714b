"""Reading the open days that schools typed as free text, one day a line.

Offerings used to carry their open days as text (« samedi 14 mars 2026, 9 h – 12 h »);
they are now agenda events. This parser serves the migration that turned the lines
into events (agenda 0003), so it must stay free of models. A line it cannot read
comes back as None: the migration keeps such lines in the offering's « comment
candidater » text, where the school still sees and can fix them.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from campus.dates import MONTHS, PARIS, WEEKDAYS


def _plain(text: str) -> str:
    """Lower-case ASCII, punctuation kept: « 9 h – 12 h » -> « 9 h - 12 h »."""
    text = re.sub(r"[\u2010-\u2015]", "-", text.lower())
    text = re.sub(r"[\s\u202f\xa0]+", " ", text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_MONTHS = {_plain(name): number for number, name in enumerate(MONTHS, start=1)}
_MONTHS.update(
    {"janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10}
    | {"nov": 11, "dec": 12}
)
_WEEKDAYS = {_plain(name): number for number, name in enumerate(WEEKDAYS)}

_WORD_DATE = re.compile(
    r"(?:(?P<weekday>" + "|".join(_WEEKDAYS) + r")\s+)?"
    r"(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-z]+)\.?(?:\s+(?P<year>\d{4}))?"
)
_WEEKDAY = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b")
_NUMERIC_DATE = re.compile(
    r"(?:(?P<weekday>" + "|".join(_WEEKDAYS) + r")\s+)?"
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{2,4}))?"
)
_TIME = r"(?P<{n}h>\d{{1,2}})\s*(?:h|:)\s*(?P<{n}m>\d{{2}})?"
_HOURS = re.compile(
    r"(?:de\s+)?" + _TIME.format(n="s") + r"\s*(?:a|-|jusqu'a)\s*" + _TIME.format(n="e")
)
_FROM = re.compile(r"(?:a partir de|des)\s+" + _TIME.format(n="s"))


@dataclass(frozen=True)
class OpenDay:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    all_day: bool


def _year(day: int, month: int, weekday: int | None, today: datetime.date) -> int:
    """The year of a date typed without one: the one whose weekday matches, else
    the coming one (a date more than six months past is next year's)."""
    years = [today.year, today.year + 1, today.year - 1]
    if weekday is not None:
        for year in years:
            try:
                if datetime.date(year, month, day).weekday() == weekday:
                    return year
            except ValueError:
                continue
    try:
        this_year = datetime.date(today.year, month, day)
    except ValueError:
        return today.year
    return today.year + 1 if (today - this_year).days > 183 else today.year


def parse_open_day(line: str, *, today: datetime.date) -> OpenDay | None:
    """The day and hours of `line` in Paris time, or None when it names no one day."""
    text = _plain(line)
    dates = [m for m in _WORD_DATE.finditer(text) if _month(m.group("month"))]
    if not dates:
        dates = list(_NUMERIC_DATE.finditer(text))
    # Two dates (« du 13 au 14 mars », « 13 et 14 mars ») are more than one open day.
    several = re.search(r"\bdu\s+\d|\d(?:er)?\s+(?:et|au)\s", text)
    if len(dates) != 1 or several or len(_WEEKDAY.findall(text)) > 1:
        return None
    found = dates[0]
    day, month = int(found.group("day")), _month(found.group("month"))
    if not month:
        return None
    weekday = found.group("weekday")
    weekday = _WEEKDAYS[weekday] if weekday else None
    year = found.group("year")
    if year:
        year = int(year) + (2000 if len(year) == 2 else 0)
    else:
        year = _year(day, month, weekday, today)
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    if weekday is not None and date.weekday() != weekday:
        return None
    rest = text[found.end() :]
    hours = _HOURS.search(rest)
    if hours:
        start = _time(hours.group("sh"), hours.group("sm"))
        end = _time(hours.group("eh"), hours.group("em"))
    elif opening := _FROM.search(rest):
        start = _time(opening.group("sh"), opening.group("sm"))
        end = datetime.time(18, 0) if start and start < datetime.time(18) else None
    else:
        return OpenDay(
            datetime.datetime.combine(date, datetime.time(0, 0), PARIS),
            datetime.datetime.combine(date, datetime.time(23, 59), PARIS),
            all_day=True,
        )
    if start is None or end is None or end <= start:
        return None
    return OpenDay(
        datetime.datetime.combine(date, start, PARIS),
        datetime.datetime.combine(date, end, PARIS),
        all_day=False,
    )


def _month(text: str) -> int | None:
    """« mars », « fevr », « 03 »: the month's number, else None."""
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text) or _MONTHS.get(text[:4])


def _time(hour: str, minute: str | None) -> datetime.time | None:
    try:
        return datetime.time(int(hour), int(minute or 0))
    except ValueError:
        return None
