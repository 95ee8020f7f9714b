"""Rules of single trade and know-how records."""

import pytest

from campus.trades.models import KnowHow, Trade


@pytest.mark.django_db
def test_trades_and_know_how_with_the_same_name_get_distinct_addresses():
    """Two records named alike get two addresses instead of a database error."""
    first, second = Trade(name="Sellier"), Trade(name="Sellier")
    first.save()
    second.save()
    assert (first.slug, second.slug) == ("sellier", "sellier-2")
    know_how = [KnowHow(name="Piqûre sellier", description="x") for _ in range(2)]
    for item in know_how:
        item.save()
    assert know_how[1].slug == "piqure-sellier-2"
