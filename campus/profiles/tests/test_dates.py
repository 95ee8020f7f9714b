import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template

from campus.dates import (
    InvalidLocalTime,
    french_date,
    french_date_range,
    paris_instant,
)

D = datetime.date


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (D(2026, 4, 1), "", "1er avril 2026"),
        (D(2026, 4, 2), "", "2 avril 2026"),
        (D(2026, 8, 15), "mois", "août 2026"),
        (D(2026, 4, 1), "jour", "mercredi 1er avril 2026"),
        (D(2026, 4, 1), "année", "2026"),
        (datetime.datetime(2026, 2, 1, 9, 0), "heure", "1er février 2026 à 9 h"),
        (
            datetime.datetime(2026, 2, 3, 14, 5),
            "jour_heure",
            "mardi 3 février 2026 à 14 h 05",
        ),
        (D(2026, 2, 3), "heure", "3 février 2026"),
        (None, "", ""),
    ],
)
def test_french_date(value, style, expected):
    """A date reads as in French prose: « 1er » for the first, hours as « 14 h 05 »."""
    assert french_date(value, style) == expected


def test_french_date_shows_aware_datetimes_in_local_time(settings):
    """An aware datetime is shown in the site's time zone, not in UTC."""
    settings.TIME_ZONE = "Europe/Paris"
    value = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert french_date(value, "heure") == "1er janvier 2027 à 0 h 30"


def test_french_date_refuses_an_unknown_style():
    """A misspelt style fails loudly rather than printing a wrong date."""
    with pytest.raises(ValueError, match="style"):
        french_date(D(2026, 4, 1), "longue")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 4, 3), D(2026, 4, 5), "du 3 au 5 avril 2026"),
        (D(2026, 3, 30), D(2026, 4, 2), "du 30 mars au 2 avril 2026"),
        (D(2026, 12, 30), D(2027, 1, 2), "du 30 décembre 2026 au 2 janvier 2027"),
        (D(2026, 4, 1), D(2026, 5, 1), "du 1er avril au 1er mai 2026"),
        (D(2026, 4, 1), D(2026, 4, 1), "le 1er avril 2026"),
        (D(2026, 4, 1), None, "le 1er avril 2026"),
    ],
)
def test_french_date_range(start, end, expected):
    """A range says once what both ends share: « du 3 au 5 avril 2026 »."""
    assert french_date_range(start, end) == expected


def test_filters_are_available_in_every_template():
    """Templates use french_date and french_date_range without loading anything."""
    template = Template(
        "{{ day|french_date }} · {{ start|french_date_range:end }} · {{ none|french_date }}"
    )
    context = Context(
        {
            "day": D(2026, 4, 1),
            "start": D(2026, 4, 3),
            "end": D(2026, 4, 5),
            "none": None,
        }
    )
    assert template.render(context) == "1er avril 2026 · du 3 au 5 avril 2026 · "


def test_no_template_formats_dates_with_django_date_filter():
    """Every date shown to people goes through the one French helper."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*")
        if path.suffix in {".html", ".txt"}
        and "|date:" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_paris_summer_time_is_two_hours_ahead_of_utc():
    moment = paris_instant(datetime.datetime(2027, 7, 14, 9, 0))
    assert moment.utcoffset() == datetime.timedelta(hours=2)


@pytest.mark.parametrize("repeated_hour", ["first", "refuse"])
def test_the_hour_skipped_in_march_is_refused_with_the_time_clocks_show(
    repeated_hour,
):
    with pytest.raises(InvalidLocalTime) as error:
        paris_instant(
            datetime.datetime(2027, 3, 28, 2, 30), repeated_hour=repeated_hour
        )
    assert str(error.value) == (
        "2 h 30 n'existe pas ce jour-là à l'heure de Paris : les horloges passent de "
        "2 h à 3 h (heure d'été). Choisissez par exemple 3 h 30."
    )


def test_the_hour_repeated_in_october_is_its_first_occurrence_or_refused():
    """A call closing then closes at the first 02:30; a booking is not guessed."""
    naive = datetime.datetime(2027, 10, 31, 2, 30)
    assert paris_instant(naive).utcoffset() == datetime.timedelta(hours=2)
    with pytest.raises(InvalidLocalTime, match="existe deux fois"):
        paris_instant(naive, repeated_hour="refuse")
