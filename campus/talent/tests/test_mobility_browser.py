"""The public mobility and residency pages in Chromium, on a phone."""

import pytest
from playwright.sync_api import expect

from campus.talent.models import CallKind
from campus.talent.tests.factories import CallFactory
from campus.talent.tests.mobility_factories import (
    HostPartnerFactory,
    MobilityOfferFactory,
    ResidencyFactory,
    ShowcaseItemFactory,
)
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mobility_and_residency_pages_are_accessible_at_390_px(local_page, live_server):
    """Both public pages pass axe and scroll only vertically on a 390 px screen."""
    italy = HostPartnerFactory(name="Scuola del cuoio (démo)", country="IT")
    HostPartnerFactory(name="Taller de Ubrique (démo)", country="ES", city="Ubrique")
    MobilityOfferFactory(
        host_partner=italy,
        title="Stage de maroquinerie à Florence",
        call=CallFactory(kind=CallKind.MOBILITY),
    )
    residency = ResidencyFactory(
        title="Résidence de création à l'atelier", is_demo=True
    )
    residency.works.add(ShowcaseItemFactory(organisation=residency.host))
    ResidencyFactory(
        title="Résidence de l'an passé", starts_on="2025-01-06", ends_on="2025-02-28"
    )
    page = local_page
    page.set_viewport_size({"width": 390, "height": 844})
    for path, heading in (
        ("/talents/mobilite/", "Mobilité européenne des apprenants"),
        ("/talents/residences/", "Résidences d'artistes"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        save_screenshot(page, f"talent{path.replace('/', '-').rstrip('-')}-mobile")
    expect(page.get_by_text("Résidence de l'an passé")).to_be_visible()
    page.goto(live_server.url + "/talents/mobilite/")
    expect(page.get_by_role("heading", name="Italie")).to_be_visible()
