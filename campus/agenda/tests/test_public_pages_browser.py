"""The agenda in real Chromium, with axe, at desktop and phone widths."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import CommuneFactory, RegionFactory
from campus.profiles.models import CampusProfile
from campus.testing.browser import assert_accessible, open_filters, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1366, 390]


def local(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def agenda():
    CampusProfile.objects.create(region=RegionFactory())
    besancon = CommuneFactory(
        insee_code="25056", name="Besançon", postal_codes="25000",
        latitude=47.2378, longitude=6.0241,
    )  # fmt: skip
    EventFactory(
        title="Salon des métiers d'art de Dijon",
        kind="fair",
        starts_at=local(3, 10),
        ends_at=local(5, 18),
        audiences=["public", "parents"],
        paying=True,
    )
    EventFactory(
        title="Atelier découverte de la sellerie pour les classes de 3e",
        kind="workshop",
        organisation=OrganisationFactory(commune=besancon, name="Sellerie du Doubs"),
        starts_at=local(1, 14),
        audiences=["pupils", "teachers"],
        accessibility="Accès de plain-pied ; boucle magnétique à l'accueil.",
        description=(
            "## Au programme\n\n- Découpe du cuir\n- Couture au point sellier\n\n"
            "Une **initiation** encadrée par des artisans."
        ),
    )
    EventFactory(title="Webinaire : entrer en apprentissage", online=True)
    EventFactory(
        title="Portes ouvertes annulées du lycée",
        kind="open_day",
        cancelled=True,
        starts_at=local(7, 9),
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_agenda_list_filters_and_comes_back(local_page, live_server, agenda, width):
    """A visitor filters the agenda by type, opens an event and finds the search again."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/agenda/")
    count = page.locator("#results-count")
    expect(count).to_have_text("4 événements")
    assert_accessible(page)
    save_screenshot(page, f"agenda-list-{width}")
    open_filters(page)
    page.get_by_label("Type d'événement").select_option("workshop")
    expect(count).to_have_text("1 événement")
    expect(page).to_have_url(live_server.url + "/agenda/?type=workshop")
    feed = page.get_by_role("link", name="dans mon agenda (abonnement)")
    assert feed.get_attribute("href").endswith("/agenda/calendrier.ics?type=workshop")
    page.get_by_role("link", name="Atelier découverte de la sellerie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atelier découverte")
    page.go_back()
    expect(count).to_have_text("1 événement")
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_month_view_reads_on_desktop_and_phone(local_page, live_server, agenda, width):
    """The month grid shows each day of a multi-day fair and stays accessible."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    month = local(3, 10).strftime("%Y-%m")
    page.goto(f"{live_server.url}/agenda/mois/?mois={month}")
    expect(
        page.locator(".month__event", has_text="Salon des métiers d'art").first
    ).to_be_visible()
    assert (
        page.locator(".month__event", has_text="Salon des métiers d'art").count() >= 1
    )
    assert_accessible(page)
    save_screenshot(page, f"agenda-month-{width}")
    after = dt.date.fromisoformat(f"{month}-01") + dt.timedelta(days=32)
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(f"{live_server.url}/agenda/mois/?mois={after:%Y-%m}")


@pytest.mark.parametrize("width", WIDTHS)
def test_map_places_events_and_lists_online_ones(
    local_page, live_server, agenda, width
):
    """The map draws markers for events with a place; online events are listed beside it."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/agenda/carte/")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.get_by_role("heading", name="En ligne")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-map-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_event_page_is_accessible(local_page, live_server, agenda, width):
    """The event page, with its description, facts and calendar link, passes axe;
    a cancelled event says so."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/agenda/")
    page.get_by_role("link", name="Atelier découverte de la sellerie").click()
    expect(page.get_by_role("link", name="Ajouter à mon agenda")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-event-{width}")
    page.goto(live_server.url + "/agenda/")
    page.get_by_role("link", name="Portes ouvertes annulées du lycée").click()
    expect(page.get_by_text("Événement annulé.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-event-cancelled-{width}")


def test_agenda_holds_at_320_px(local_page, live_server, agenda):
    """At 320 px no agenda page scrolls sideways."""
    page = local_page
    page.set_viewport_size({"width": 320, "height": 800})
    month = local(3, 10).strftime("%Y-%m")
    for path in (
        "/agenda/",
        f"/agenda/mois/?mois={month}",
        "/agenda/carte/",
        "/agenda/archives/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
