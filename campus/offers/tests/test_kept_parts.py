"""The offers list's results, kept per address under the content stamp until
midnight (search.list_page): the same pages as built from scratch, a new offer and
the end of an offer's last day show on the next visit, nothing of a signed-in
visitor reaches another, and the results are read back without their queries."""

import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campus import fragments
from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.offers.tests.factories import OfferFactory
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    body,
    committed,
    warm,
)
from campus.trades.models import Trade

URL = "/offres/"


@committed
def test_offer_list_is_the_same_as_built_from_scratch(monkeypatch):
    """On the demo campus the list, filtered or not, and its htmx swap are byte for
    byte the same built from the database and read back."""
    call_command("load_demo", verbosity=0)
    trade = Trade.objects.published().exclude(rome_codes="").order_by("pk").first()
    urls = [URL, f"{URL}?metier={trade.slug}", f"{URL}?contrat=apprentissage"]
    pages = assert_same_as_built_from_scratch(monkeypatch, Client(), urls)
    assert 'class="offer-card"' in pages[URL]
    client = Client(headers={"HX-Request": "true"})
    with monkeypatch.context() as patched:
        patched.setattr(fragments, "stamps", lambda request=None: None)
        built = body(client, URL)
    assert body(client, URL) == built
    assert built in pages[URL]


@committed
def test_a_new_offer_shows_on_the_next_visit():
    """The results are read back until a write, then built anew."""
    OfferFactory(title="Apprenti sellier")
    client = Client()
    assert "Apprenti sellier" in warm(client, URL)
    OfferFactory(title="Apprenti gainier")
    assert "Apprenti gainier" in body(client, URL)


@committed
def test_an_offer_leaves_the_list_when_its_last_day_ends(monkeypatch):
    """Kept results change at midnight without any write: an offer on its last day
    is gone the next day."""
    soon = timezone.now() + timedelta(seconds=2)
    monkeypatch.setattr(fragments, "next_midnight", lambda *since: soon)
    today = timezone.localdate()
    OfferFactory(title="Offre du dernier jour", expires_on=today)
    client = Client()
    assert "Offre du dernier jour" in warm(client, URL)
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args: today + timedelta(days=1)
    )
    assert "Offre du dernier jour" not in body(client, URL)


@committed
def test_a_signed_in_partner_never_reaches_another_visitor():
    """A partner who builds the results leaves nothing of theirs in them."""
    member = MembershipFactory(user=UserFactory(email="recruteuse@atelier.example"))
    OfferFactory(organisation=member.organisation, title="Apprenti piqueur")
    partner = Client()
    partner.force_login(member.user)
    assert "Se déconnecter" in warm(partner, URL)
    page = body(Client(), URL)
    assert "Apprenti piqueur" in page
    assert "Se déconnecter" not in page and "recruteuse" not in page


@committed
def test_kept_results_run_no_query_on_offers_nor_trades():
    """Read back, the results and the trades to choose from cost no query."""
    OfferFactory()
    client = Client()
    warm(client, URL)
    with CaptureQueriesContext(connection) as queries:
        body(client, URL)
    tables = ("offers_offer", "trades_trade")
    assert not [q for q in queries if any(t in q["sql"] for t in tables)]


@committed
def test_offer_page_with_its_parts_kept_reads_the_offer_once():
    """Read back with its parts kept, an offer page costs the content stamp and one
    query on the offers, which loads every column the page then shows."""
    offer = OfferFactory(title="Apprenti sellier")
    client = Client()
    assert "Apprenti sellier" in warm(client, offer.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        body(client, offer.get_absolute_url())
    read = [query["sql"] for query in queries]
    assert len(read) == 2, read
    assert sum('FROM "offers_offer"' in sql for sql in read) == 1, read
