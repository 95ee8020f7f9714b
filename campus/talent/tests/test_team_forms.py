"""Paris time and reserved addresses, as the team's call form reads them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from campus.talent.team_forms import paris_datetime, reserved_slugs


def test_a_summer_time_is_two_hours_ahead_of_utc():
    moment = paris_datetime(datetime.date(2027, 7, 14), datetime.time(9, 0))
    assert moment.utcoffset() == datetime.timedelta(hours=2)


def test_the_hour_skipped_in_march_is_refused_with_the_next_valid_time():
    with pytest.raises(ValidationError) as error:
        paris_datetime(datetime.date(2027, 3, 28), datetime.time(2, 30))
    assert "n'existe pas à Paris" in error.value.messages[0]
    assert "03:30" in error.value.messages[0]


def test_the_hour_repeated_in_october_is_its_first_occurrence():
    moment = paris_datetime(datetime.date(2027, 10, 31), datetime.time(2, 30))
    assert moment.utcoffset() == datetime.timedelta(hours=2)


def test_reserved_slugs_are_the_fixed_words_of_the_talent_addresses():
    words = reserved_slugs()
    assert {"gestion", "talents", "nouveau", "candidatures"} <= words
    assert not any("<" in word for word in words)
