import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus.outreach.tests.factories import (
    DiscoveryPlacementFactory,
    InterventionRequestFactory,
    TeacherResourceFactory,
)
from campus.trades.services import record_assessment
from campus.trades.tests.factories import (
    KnowHowFactory,
    OnisepJobFactory,
    TradeFactory,
)

pytestmark = pytest.mark.django_db

# The trade, its ROME jobs and ONISEP fiches, know-how, organisations, showcase,
# the campus profile for the layout, outreach's placements and resources, and
# the agenda's coming events and the open offers.
TRADE_PAGE_QUERIES = 11


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
    OnisepJobFactory.create_batch(2, rome_codes="H2411")
    assert count_queries(client, trade.get_absolute_url()) == few


def test_trade_page_does_not_grow_queries_with_placements_and_resources(client):
    """A trade page costs the same with one or four placements and resources."""
    trade = TradeFactory()
    DiscoveryPlacementFactory().trades.add(trade)
    TeacherResourceFactory().trades.add(trade)
    few = count_queries(client, trade.get_absolute_url())
    for _ in range(3):
        DiscoveryPlacementFactory().trades.add(trade)
        TeacherResourceFactory().trades.add(trade)
    assert count_queries(client, trade.get_absolute_url()) == few == TRADE_PAGE_QUERIES


def test_trades_page_reads_the_sector_profile_once(client):
    """The search box's examples and the page's wording share one read."""
    TradeFactory()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/metiers/").status_code == 200
    reads = [q for q in queries if '"profiles_sectorprofile"' in q["sql"]]
    assert len(reads) == 1
