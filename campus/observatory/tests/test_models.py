from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.observatory.models import Indicator, IndicatorKey, KeyFigure
from campus.observatory.tests.factories import IndicatorFactory, KeyFigureFactory

pytestmark = pytest.mark.django_db


def test_published_key_figures_come_in_their_chosen_order():
    """Only published figures are listed, by their order and then by creation."""
    second = KeyFigureFactory(order=2)
    first = KeyFigureFactory(order=1)
    also_second = KeyFigureFactory(order=2)
    KeyFigureFactory(order=0, unpublished=True)
    assert list(KeyFigure.objects.published()) == [first, second, also_second]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("4500"), "4\u202f500"),
        (Decimal("4500.00"), "4\u202f500"),
        (Decimal("12.5"), "12,50"),
        (Decimal("1234567.89"), "1\u202f234\u202f567,89"),
        (Decimal("7"), "7"),
    ],
)
def test_key_figure_value_is_written_the_french_way(value, shown):
    """Thousands are split by a narrow space, decimals by a comma, none for whole numbers."""
    assert KeyFigureFactory.build(value=value).display_value == shown


def test_key_figure_and_indicator_name_themselves():
    """A figure names its period; an indicator its activity, place, year and value."""
    assert str(KeyFigureFactory.build(label="salariés")) == "salariés (2020/2021)"
    indicator = IndicatorFactory.build(value=Decimal("12.00"))
    assert str(indicator) == "Établissements employeurs 15.12Z 21425 2020 : 12.00"


def test_an_indicator_has_one_value_per_year_and_territory():
    """The same indicator, activity, territory and year cannot be stored twice."""
    IndicatorFactory()
    IndicatorFactory(year=2021)
    IndicatorFactory(key=IndicatorKey.SALARIED_HEADCOUNT)
    with pytest.raises(IntegrityError):
        IndicatorFactory()


def test_indicators_are_ordered_by_key_activity_territory_and_year():
    """Indicators read as a table: indicator, NAF code, territory, then year."""
    late = IndicatorFactory(year=2021)
    early = IndicatorFactory(year=2019)
    other_place = IndicatorFactory(territory_code="21231", year=2022)
    headcount = IndicatorFactory(key=IndicatorKey.SALARIED_HEADCOUNT)
    assert list(Indicator.objects.all()) == [other_place, early, late, headcount]


def test_team_finds_indicators_by_territory_in_the_administration(client):
    """The administration lists indicators and searches them by territory code."""
    client.force_login(UserFactory(campus_team=True, is_superuser=True))
    IndicatorFactory(territory_code="21425")
    besancon = IndicatorFactory(territory_code="25056")
    url = reverse("admin:observatory_indicator_changelist")
    response = client.get(url, {"q": "25056"})
    assert list(response.context["cl"].result_list) == [besancon]
    assert "Établissements employeurs" in response.content.decode()
