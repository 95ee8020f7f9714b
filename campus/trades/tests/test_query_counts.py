import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus.outreach.tests.factories import InterventionRequestFactory
from campus.trades.services import record_assessment
from campus.trades.tests.factories import (
    KnowHowFactory,
    OnisepJobFactory,
    TradeFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_rows(n):
    for _ in range(n):
        trade = TradeFactory(craft=True)
        know_how = KnowHowFactory()
        know_how.trades.add(trade)
        record_assessment(
            know_how,
            holder_count=1,
            senior_holder_count=1,
            trainee_count=0,
            training_count=0,
            assessed_on="2026-01-01",
            acting_user=None,
        )
        InterventionRequestFactory(assigned=True)


@pytest.mark.parametrize(
    "url", ["/metiers/", "/metiers/savoir-faire-menaces/", "/decouvrir/"]
)
def test_public_lists_do_not_grow_queries_with_rows(client, url):
    """Listing three or ten rows costs the same number of queries."""
    add_rows(3)
    few = count_queries(client, url)
    add_rows(7)
    assert count_queries(client, url) == few


def test_team_queue_does_not_grow_queries_with_rows(admin_client):
    """The team's intervention queue costs the same with three or ten requests."""
    add_rows(3)
    few = count_queries(admin_client, "/gestion/interventions/?statut=all")
    add_rows(7)
    assert count_queries(admin_client, "/gestion/interventions/?statut=all") == few


def test_trade_page_does_not_grow_queries_with_onisep_fiches(client):
    """A trade page costs the same with one or six ONISEP fiches."""
    trade = TradeFactory(rome_codes="B1802, H2411")
    OnisepJobFactory()
    few = count_queries(client, trade.get_absolute_url())
    OnisepJobFactory.create_batch(3)
    OnisepJobFactory.create_batch(2, rome_code="H2411")
    assert count_queries(client, trade.get_absolute_url()) == few
