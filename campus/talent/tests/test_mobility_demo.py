"""The demo's residency and European mobility: labelled, loaded once, reachable."""

import pytest
from django.test import Client
from django.utils import timezone

from campus.network.tests.factories import OrganisationFactory
from campus.talent.demo_mobility import (
    RESIDENCY_HOST,
    SENDING_SCHOOLS,
    load_demo_mobility,
)
from campus.talent.mobility import mobility_counts
from campus.talent.models import (
    Call,
    CallKind,
    HostPartner,
    Mobility,
    MobilityOffer,
    Residency,
)
from campus.talent.tests.mobility_factories import ShowcaseItemFactory
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_labelled_and_shows_on_the_public_pages():
    """One residency with a work, an open mobility call, an Italian and a Spanish
    partner, mobilities over two years: all « Démo », on the public pages."""
    host = OrganisationFactory(slug=RESIDENCY_HOST)
    for slug in SENDING_SCHOOLS:
        OrganisationFactory(slug=slug)
    TradeFactory(slug="maroquinier")
    ShowcaseItemFactory(organisation=host, is_demo=True)
    load_demo_mobility()
    load_demo_mobility()
    residency = Residency.objects.get()
    assert residency.is_demo and residency.is_published
    assert residency.works.exists()
    call = Call.objects.get(kind=CallKind.MOBILITY)
    assert call.is_demo and call.is_open(timezone.now())
    assert sorted(HostPartner.objects.values_list("country", flat=True)) == [
        "ES",
        "IT",
    ]
    assert MobilityOffer.objects.filter(call=call, is_published=True).count() == 2
    counts = mobility_counts()
    assert counts.total == Mobility.objects.count() == 5
    assert len(counts.by_year) == 2
    for model in (Residency, HostPartner, MobilityOffer, Mobility):
        assert not model.objects.filter(is_demo=False).exists()
    client = Client()
    for path in (
        "/talents/residences/",
        residency.get_absolute_url(),
        host.get_absolute_url(),
        "/talents/mobilite/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Démo" in response.content.decode(), path
