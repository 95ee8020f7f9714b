"""The request form's fields (fragments.rendered_form) and the home page's
placements and resources, kept under the content stamp: the same pages as built
from scratch, a write shows on the next visit, the parts are read back without
their queries, and nothing of one visitor (typed values, CSRF token) reaches
another."""

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campus.outreach.tests.factories import (
    DiscoveryPlacementFactory,
    TeacherResourceFactory,
)
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    assert_typed_values_stay_the_senders,
    body,
    committed,
    same_csrf_token,
    warm,
)
from campus.trades.models import Trade
from campus.trades.tests.factories import TradeFactory

URL = "/decouvrir/demander-une-intervention/"
HOME = "/decouvrir/"


@committed
def test_outreach_pages_are_the_same_as_built_from_scratch(monkeypatch):
    """On the demo campus the form, with and without a trade ticked by the address,
    and the home page are byte for byte the same built from the database and read
    back."""
    call_command("load_demo", verbosity=0)
    trade = Trade.objects.published().order_by("name").first()
    same_csrf_token(monkeypatch)
    ticked = f"{URL}?metier={trade.slug}"
    pages = assert_same_as_built_from_scratch(
        monkeypatch, Client(), [URL, ticked, HOME]
    )
    assert f'value="{trade.pk}" id="id_trades_0" checked' in pages[ticked]
    assert "checked" not in pages[URL]


@committed
def test_a_new_trade_shows_on_the_next_visit():
    """The trades to tick are read back until a write, then built anew."""
    client = Client()
    warm(client, URL)
    TradeFactory(name="Tapissier garnisseur")
    assert "Tapissier garnisseur" in body(client, URL)


@committed
def test_kept_fields_run_no_query_on_trades():
    """Read back, the fields cost no query on the trades."""
    TradeFactory(name="Gainier")
    client = Client()
    warm(client, URL)
    with CaptureQueriesContext(connection) as queries:
        assert "Gainier" in body(client, URL)
    assert not [q for q in queries if "trades_trade" in q["sql"]]


@committed
def test_what_a_visitor_typed_or_holds_never_reaches_another():
    TradeFactory(name="Gainier")
    assert_typed_values_stay_the_senders(URL, "school_name", "Collège Secret")


@committed
def test_a_new_placement_or_resource_shows_on_the_home_page():
    """The home page's sections are read back until a write, then built anew."""
    client = Client()
    assert "Aucun stage de découverte" in warm(client, HOME)
    DiscoveryPlacementFactory(title="Une semaine chez un sellier")
    assert "Une semaine chez un sellier" in body(client, HOME)
    TeacherResourceFactory(title="Vidéo : le gainier")
    assert "Vidéo : le gainier" in body(client, HOME)


@committed
def test_home_sections_run_no_query_on_placements_nor_resources():
    """Read back, the home page's sections cost no query."""
    DiscoveryPlacementFactory()
    TeacherResourceFactory()
    client = Client()
    warm(client, HOME)
    with CaptureQueriesContext(connection) as queries:
        body(client, HOME)
    assert not [q for q in queries if "outreach_" in q["sql"]]
