"""The public agenda: list, archive, month, map, filters and the event page."""

import datetime as dt
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Event, PlaceKind
from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.testing.htmx import assert_filter_swap
from campus.trades.tests.factories import TradeFactory
from campus.trainings.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("agenda:event_list")
ARCHIVE = reverse("agenda:event_archive")
MONTH = reverse("agenda:event_month")
MAP = reverse("agenda:event_map")
MAP_DATA = reverse("agenda:event_map_data")


def local(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def in_days(days: int, hour: int = 9) -> dt.datetime:
    return local(timezone.localdate() + dt.timedelta(days=days), hour)


def text(response) -> str:
    """The page's HTML with its entities read (« l'atelier », not « l&#x27;atelier »)."""
    return unescape(response.content.decode())


def month_days(response) -> list[dict]:
    """The squares of the month grid, in order: the full date of a day of the month
    (« Lundi 29 avril 2030 », empty outside it), the titles of its events and the
    link to the others."""
    squares = []
    for square in text(response).split('<li class="month__day')[1:]:
        date = re.search(r'<span class="month__full-date">(.*?)</span>', square)
        more = re.search(r'<p class="month__more"><a href="([^"]*)">', square)
        squares.append(
            {
                "date": date.group(1) if date else "",
                "events": re.findall(r'<a href="/agenda/[^"?]+/">(.*?)</a>', square),
                "more_url": more.group(1) if more else None,
            }
        )
    return squares


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"].object_list]


def test_list_shows_upcoming_and_running_events_nearest_first(client):
    """Upcoming events come nearest first; one running now is still listed; past ones are not."""
    EventFactory(title="Loin", starts_at=in_days(40))
    EventFactory(title="Bientôt", starts_at=in_days(2))
    EventFactory(title="En cours", starts_at=in_days(-1), ends_at=in_days(1))
    EventFactory(title="Passé", past=True)
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["En cours", "Bientôt", "Loin"]


def test_archive_shows_ended_events_most_recent_first(client):
    """The archive lists ended events, the most recent first, and no upcoming one."""
    EventFactory(title="Il y a longtemps", starts_at=in_days(-90))
    EventFactory(title="Le mois dernier", starts_at=in_days(-30))
    EventFactory(title="À venir")
    response = client.get(ARCHIVE)
    assert response.status_code == 200
    assert titles(response) == ["Le mois dernier", "Il y a longtemps"]
    assert "<title>Archives de l'agenda" in text(response)


@pytest.mark.parametrize(
    "traits",
    [
        {"draft": True},
        {"submitted": True},
        {"refused": True},
        {"organisation__is_published": False},
    ],
)
def test_unpublished_events_are_never_public(client, traits):
    """Drafts, proposals, refused events and those of unpublished organisers stay out
    of every public view and feed, and their page is a 404."""
    event = EventFactory(title="Secret", **traits)
    for url in (LIST, MONTH, MAP, reverse("agenda:agenda_ics")):
        assert "Secret" not in text(client.get(url)), url
    assert client.get(MAP_DATA).json()["features"] == []
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("agenda:event_ics", args=[event.slug])).status_code == 404


def test_another_partners_draft_is_hidden_from_a_partner(client):
    """A partner sees their own draft's page, never another organisation's."""
    mine = EventFactory(draft=True)
    theirs = EventFactory(draft=True)
    member = MembershipFactory(organisation=mine.organisation).user
    client.force_login(member)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert theirs.title not in text(client.get(LIST))
    assert mine.title not in text(client.get(LIST))


def test_the_team_sees_a_draft_but_the_public_list_stays_published(client):
    """The campus team opens any draft; the list still shows published events only."""
    draft = EventFactory(draft=True)
    client.force_login(UserFactory(campus_team=True))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "n'est pas publié" in text(response)
    assert draft.title not in text(client.get(LIST))


def test_list_is_paginated(client):
    """Twenty events a page; the second page carries the rest."""
    for day in range(25):
        EventFactory(starts_at=in_days(day + 1))
    response = client.get(LIST)
    assert len(titles(response)) == 20
    assert len(titles(client.get(LIST, {"page": 2}))) == 5


def test_list_query_count_does_not_grow_with_events(
    client, django_assert_max_num_queries
):
    """The list's queries stay the same for 3 or 20 events."""
    for day in range(20):
        EventFactory(starts_at=in_days(day + 1), audiences=["pupils"])
    client.get(LIST)  # warms the filter panel's cache
    # Profile, its départements (two), audiences, trades, count, page, then its
    # organisers and the events' communes.
    with django_assert_max_num_queries(9):
        client.get(LIST)


# Filters


@pytest.fixture
def varied():
    dijon = CommuneFactory(
        insee_code="21231", name="Dijon", postal_codes="21000",
        latitude=47.3216, longitude=5.0415,
    )  # fmt: skip
    doubs = DepartementFactory(code="25", name="Doubs")
    besancon = CommuneFactory(
        insee_code="25056", name="Besançon", postal_codes="25000",
        latitude=47.2378, longitude=6.0241, departement=doubs,
    )  # fmt: skip
    trade = TradeFactory(name="Sellier-harnacheur", slug="sellier-harnacheur")
    EventFactory(
        title="Salon des métiers d'art",
        kind="fair",
        organisation=OrganisationFactory(commune=dijon),
        audiences=["public", "parents"],
        starts_at=in_days(5),
        paying=True,
    )
    EventFactory(
        title="Atelier découverte sellerie",
        kind="workshop",
        organisation=OrganisationFactory(commune=besancon),
        audiences=["pupils"],
        trades=[trade],
        starts_at=in_days(20),
    )
    EventFactory(title="Webinaire apprentissage", online=True, starts_at=in_days(8))
    return trade


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"type": "fair"}, ["Salon des métiers d'art"]),
        ({"public": "pupils"}, ["Atelier découverte sellerie"]),
        ({"departement": "25"}, ["Atelier découverte sellerie"]),
        ({"commune": "21000 Dijon", "rayon": "10"}, ["Salon des métiers d'art"]),
        ({"commune": "Dijon", "rayon": "100"}, ["Salon des métiers d'art", "Atelier découverte sellerie"]),
        ({"metier": "sellier-harnacheur"}, ["Atelier découverte sellerie"]),
        ({"gratuit": "on"}, ["Webinaire apprentissage", "Atelier découverte sellerie"]),
        ({"q": "metiers ART"}, ["Salon des métiers d'art"]),
        ({"q": "besançon"}, ["Atelier découverte sellerie"]),
        ({"q": "webinaire"}, ["Webinaire apprentissage"]),
    ],
)  # fmt: skip
def test_each_filter_narrows_the_list(client, varied, params, expected):
    """Each filter of the address keeps the matching events only, in date order."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(expected)


def test_date_range_keeps_events_running_on_one_of_its_days(client):
    """« du » and « au » keep the events that run on at least one day of the period."""
    EventFactory(title="Trois jours", starts_at=in_days(9), ends_at=in_days(11))
    EventFactory(title="Plus tard", starts_at=in_days(30))
    day = timezone.localdate() + dt.timedelta(days=11)
    response = client.get(LIST, {"du": day.isoformat(), "au": day.isoformat()})
    assert titles(response) == ["Trois jours"]
    french = client.get(LIST, {"du": day.strftime("%d/%m/%Y")})
    assert titles(french) == ["Trois jours", "Plus tard"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"type": "rave"}, "Type d'événement inconnu"),
        ({"public": "martiens"}, "Public inconnu"),
        ({"departement": "99"}, "Département inconnu"),
        ({"metier": "astronaute"}, "Métier inconnu"),
        ({"commune": "Atlantide"}, "Commune inconnue"),
        ({"rayon": "9999", "commune": "Dijon"}, "limitée à 200 km"),
        ({"rayon": "-3", "commune": "Dijon"}, "au moins 1 km"),
        ({"rayon": "loin", "commune": "Dijon"}, "nombre de kilomètres"),
        ({"rayon": "10"}, "Indiquez la commune"),
        ({"du": "31/02/2026"}, "Date invalide"),
        ({"du": "demain"}, "Date invalide"),
        ({"du": "9999-01-01"}, "hors de l'agenda"),
        ({"du": "1850-01-01"}, "hors de l'agenda"),
        ({"du": "2026-05-01", "au": "2026-04-01"}, "précède sa date de début"),
        ({"du": "2026-01-01", "au": "2035-01-01"}, "limitée à trois ans"),
        ({"q": "x" * 201}, "La recherche est trop longue"),
    ],
)
def test_bad_filters_answer_400_with_a_french_message(client, varied, params, message):
    """A wrong filter value is a 400 naming the problem in French, on every view."""
    for url in (LIST, ARCHIVE, MONTH, MAP):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert message in text(response), url
    data = client.get(MAP_DATA, params)
    assert data.status_code == 400
    assert message in data.json()["erreur"]
    feed = client.get(reverse("agenda:agenda_ics"), params)
    assert feed.status_code == 400
    assert message in text(feed)


@pytest.mark.parametrize(
    "query",
    [
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=%00%01",
        "q=' OR 1=1 --",
        "q=%F0%9F%A7%B5%F0%9F%91%9C",
        "type=fair&type=workshop",
        "page=-1",
        "page=99999",
        "page=abc",
        "gratuit=peut-etre",
        "commune=" + "a" * 500,
        "du[]=1&au[]=2",
        "mois=2026-13",
    ],
)
def test_hostile_query_strings_never_break_a_page(client, varied, query):
    """Odd, hostile or oversized parameters give a page or a 400, never a 500 and
    never an unescaped script."""
    for url in (LIST, ARCHIVE, MONTH, MAP, MAP_DATA, reverse("agenda:agenda_ics")):
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 400), (url, response.status_code)
        assert b"<script>alert(1)" not in response.content


def test_filtering_with_htmx_leaves_the_page_a_reload_shows(client, varied):
    """The htmx swap of the filtered agenda gives the page a full load gives."""
    swapped, response = assert_filter_swap(
        client, LIST, {"type": "workshop", "public": "pupils"}
    )
    assert response.status_code == 200
    assert "1 événement" in str(swapped.select_one("#results-count"))


def test_a_filter_error_swapped_with_htmx_shows_as_a_reload_does(client, varied):
    """A 400 filter error is swapped in with its French message."""
    swapped, response = assert_filter_swap(
        client, LIST, {"commune": "Dijon", "rayon": "9999"}
    )
    assert response.status_code == 400
    assert "La distance est limitée à 200 km." in str(swapped.select_one("#results"))


def test_links_carry_only_the_filters_in_use(client, varied):
    """The feed and view links keep the filters in use, without empty ones or the page."""
    response = client.get(LIST + "?q=&type=fair&public=&page=1&du=")
    content = text(response)
    assert "/agenda/calendrier.ics?type=fair&quot;" not in content
    assert 'href="webcal://' in content
    feed = re.search(r'href="(webcal://[^"]+)"', content).group(1)
    assert feed.endswith("/agenda/calendrier.ics?type=fair")
    assert f'href="{MAP}?type=fair"' in content


def test_agenda_pages_refuse_writes(client):
    """The agenda's public pages only answer GET and HEAD."""
    for url in (LIST, ARCHIVE, MONTH, MAP, MAP_DATA, reverse("agenda:agenda_ics")):
        assert client.post(url).status_code == 405


# Month view


def test_month_shows_a_multi_day_event_on_each_of_its_days(client):
    """A three-day fair is on each of its three days; the grid starts on a Monday."""
    EventFactory(
        title="Salon sur trois jours",
        starts_at=local(dt.date(2030, 4, 29), 10),
        ends_at=local(dt.date(2030, 5, 1), 18),
    )
    response = client.get(MONTH, {"mois": "2030-04"})
    assert response.status_code == 200
    squares = month_days(response)
    # 1 April 2030 is a Monday; the last week ends on Sunday 5 May.
    assert squares[0]["date"] == "Lundi 1er avril 2030"
    assert len(squares) == 35
    days = {square["date"]: square["events"] for square in squares}
    assert days["Lundi 29 avril 2030"] == ["Salon sur trois jours"]
    assert days["Mardi 30 avril 2030"] == ["Salon sur trois jours"]
    # 1 May is outside April: shown greyed, without events.
    assert squares[30] == {"date": "", "events": [], "more_url": None}
    may = client.get(MONTH, {"mois": "2030-05"})
    assert "Salon sur trois jours" in text(may)
    assert "suite" in text(may)
    content = text(response)
    assert "Avril 2030" in content
    assert 'href="?mois=2030-03"' in content and 'href="?mois=2030-05"' in content


def test_month_links_keep_the_filters(client):
    """Previous and next month keep the filters in use."""
    response = client.get(MONTH, {"mois": "2030-01", "type": "fair"})
    content = text(response)
    assert 'href="?mois=2029-12&type=fair"' in content
    assert 'href="?mois=2030-02&type=fair"' in content


def test_month_defaults_to_this_month(client):
    """Without « mois » the view shows the current month."""
    EventFactory(title="Ce mois-ci", starts_at=timezone.now(), ends_at=timezone.now())
    response = client.get(MONTH)
    assert response.status_code == 200
    assert "Ce mois-ci" in text(response)


@pytest.mark.parametrize("value", ["2030-13", "1999-12", "avril", "2030-4-1", "0-0"])
def test_unknown_month_is_a_400(client, value):
    """An unreadable month is a French message and a 400."""
    response = client.get(MONTH, {"mois": value})
    assert response.status_code == 400
    assert "Mois inconnu" in text(response)


# Map


def test_map_data_places_events_and_leaves_online_ones_to_the_list(client, varied):
    """The GeoJSON has a point per place; online events are listed beside the map."""
    data = client.get(MAP_DATA).json()
    titles_on_map = [
        event["title"]
        for feature in data["features"]
        for event in feature["properties"]["offerings"]
    ]
    assert sorted(titles_on_map) == [
        "Atelier découverte sellerie",
        "Salon des métiers d'art",
    ]
    assert data["truncated"] is False
    response = client.get(MAP)
    assert [e.title for e in response.context["online_events"]] == [
        "Webinaire apprentissage"
    ]
    assert "En ligne" in text(response)
    assert client.get(MAP_DATA, {"type": "webinar"}).json()["features"] == []


def test_map_data_is_capped(client, monkeypatch):
    """Past the cap the GeoJSON holds some events and says it is truncated."""
    monkeypatch.setattr("campus.agenda.views.MAP_MAX_EVENTS", 2)
    for day in range(3):
        EventFactory(starts_at=in_days(day + 1))
    data = client.get(MAP_DATA).json()
    assert data["truncated"] is True
    assert data["offerings"] == 2


# Event page


def test_event_page_shows_what_a_visitor_needs(client):
    """Date in French, place, organiser, audiences, trades and certifications linked,
    accessibility, price, the Markdown description and the calendar link."""
    trade = TradeFactory(name="Maroquinier")
    certification = CertificationFactory(title="CAP Maroquinerie")
    event = EventFactory(
        title="Journée portes ouvertes",
        starts_at=local(dt.date(2030, 4, 3), 9),
        ends_at=local(dt.date(2030, 4, 3), 12, 30),
        audiences=["pupils", "parents"],
        trades=[trade],
        certifications=[certification],
        accessibility="Accès en fauteuil par la cour.",
        paying=True,
        description="## Programme\n\nVisite **guidée**.",
    )
    content = text(client.get(event.get_absolute_url()))
    assert "Mercredi 3 avril 2030, de 9 h à 12 h 30" in content
    assert event.organisation.name in content
    assert "Collégiens et lycéens, Parents" in content
    assert f'href="{trade.get_absolute_url()}"' in content
    assert f'href="{certification.get_absolute_url()}"' in content
    assert "Accès en fauteuil par la cour." in content
    assert "5 € ; gratuit pour les élèves" in content
    assert "<strong>guidée</strong>" in content
    assert reverse("agenda:event_ics", args=[event.slug]) in content
    assert "Ajouter à mon agenda" in content


def test_event_page_writes_all_day_and_multi_day_dates(client):
    """All-day and multi-day events read as French ranges."""
    fair = EventFactory(
        all_day=True,
        starts_at=local(dt.date(2030, 4, 3), 0),
        ends_at=local(dt.date(2030, 4, 5), 23),
    )
    assert "Du 3 au 5 avril 2030" in text(client.get(fair.get_absolute_url()))
    evening = EventFactory(
        starts_at=local(dt.date(2030, 4, 3), 18),
        ends_at=local(dt.date(2030, 4, 4), 2),
    )
    assert "Du 3 avril 2030 à 18 h au 4 avril 2030 à 2 h" in text(
        client.get(evening.get_absolute_url())
    )


def test_hostile_markdown_is_sanitised_on_the_page(client):
    """Scripts, raw HTML and javascript: links in a description never reach the page."""
    event = EventFactory(
        description="<script>alert(1)</script>[clic](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    content = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert 'href="javascript' not in content
    assert "<img" not in content


@pytest.mark.parametrize(
    "traits, status, banner",
    [
        ({}, "EventScheduled", None),
        ({"cancelled": True}, "EventCancelled", "Événement annulé."),
        ({"postponed": True}, "EventPostponed", "Événement reporté."),
    ],
)
def test_event_page_has_json_ld_and_a_state_banner(client, traits, status, banner):
    """The page carries schema.org Event JSON-LD with its status, and a banner when
    cancelled or postponed, with the organiser's note."""
    event = EventFactory(**traits)
    content = text(client.get(event.get_absolute_url()))
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', content, re.S
    )
    data = json.loads(found.group(1))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == f"https://schema.org/{status}"
    assert data["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")
    assert data["location"]["@type"] == "Place"
    assert data["location"]["geo"]["latitude"] == event.latitude
    assert data["organizer"]["name"] == event.organisation.name
    assert data["offers"]["price"] == "0"
    if banner:
        assert banner in content
        assert event.state_note in content
    else:
        assert "Événement annulé" not in content
        assert "Événement reporté" not in content


def test_online_event_json_ld_has_a_virtual_location(client):
    """An online event is a VirtualLocation with its link, attended online."""
    event = EventFactory(online=True, paying=True)
    content = text(client.get(event.get_absolute_url()))
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', content, re.S).group(1))
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://visio.exemple.fr/salle-cuir",
    }
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert "price" not in data["offers"]
    assert data["isAccessibleForFree"] is False


def test_json_ld_cannot_close_its_script(client):
    """A title holding « </script> » stays inside the JSON-LD."""
    event = EventFactory(title="Fin </script><script>alert(1)</script>")
    content = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content


def test_event_page_has_open_graph_tags(client, settings):
    """The page names its title, description, address and image to Open Graph."""
    event = EventFactory(
        summary="Découvrez les ateliers.",
        image="agenda/1/sac.jpg",
        image_alt="Un sac en cours de couture",
    )
    content = text(client.get(event.get_absolute_url()))
    assert f'<meta property="og:title" content="{event.title}' in content
    assert (
        '<meta property="og:description" content="Découvrez les ateliers.">' in content
    )
    assert (
        f'<meta property="og:url" content="{settings.CAMPUS_SITE_URL}{event.get_absolute_url()}">'
        in content
    )
    assert '<meta property="og:image" content="' in content
    assert (
        '<meta property="og:image:alt" content="Un sac en cours de couture">' in content
    )
    assert 'alt="Un sac en cours de couture"' in content


def test_unpublished_event_has_no_json_ld(client):
    """A draft shown to its organiser is not offered to search engines."""
    event = EventFactory(draft=True)
    client.force_login(MembershipFactory(organisation=event.organisation).user)
    content = text(client.get(event.get_absolute_url()))
    assert "application/ld+json" not in content


# Home, sitemap, navigation


def test_home_shows_the_next_events_with_a_link_to_the_agenda(client):
    """The home page lists the next events and links to the agenda."""
    EventFactory(title="Bientôt à l'atelier")
    EventFactory(title="Déjà passé", past=True)
    content = text(client.get("/"))
    assert "Prochains événements" in content
    assert "Bientôt à l'atelier" in content
    assert "Déjà passé" not in content
    assert f'href="{LIST}"' in content


def test_home_leaves_the_section_out_without_events(client):
    """Without upcoming events the home page has no empty section."""
    EventFactory(past=True)
    assert "Prochains événements" not in text(client.get("/"))


def test_sitemap_lists_published_events_only(client):
    """The agenda's sitemap section lists published events and not the others."""
    published = EventFactory()
    draft = EventFactory(draft=True)
    content = text(client.get(reverse("sitemap_section", kwargs={"section": "agenda"})))
    assert published.get_absolute_url() in content
    assert draft.get_absolute_url() not in content


def test_search_text_follows_a_renamed_organiser(client):
    """Renaming the organiser keeps its events findable by its new name."""
    event = EventFactory()
    event.organisation.name = "Maison Vuitton Asnières"
    event.organisation.save()
    assert "asnieres" in Event.objects.get(pk=event.pk).search_text


def test_coordinates_come_from_the_place(client):
    """An event saved without coordinates takes its commune's; online ones have none."""
    commune = CommuneFactory(
        insee_code="25388", name="Montbéliard", latitude=47.5, longitude=6.8
    )
    event = EventFactory(
        place_kind=PlaceKind.ADDRESS, commune=commune, latitude=None, longitude=None
    )
    assert (event.latitude, event.longitude) == (47.5, 6.8)
    online = EventFactory(online=True)
    assert online.latitude is None


def test_the_count_is_capped_and_says_so(client, monkeypatch):
    """Past the cap the list says « plus de » rather than counting every event."""
    monkeypatch.setattr("campus.trainings.views.CappedPaginator.cap", 2)
    for day in range(3):
        EventFactory(starts_at=in_days(day + 1))
    assert "Plus de 2 événements" in text(client.get(LIST))


def test_a_crowded_day_links_to_its_list(client):
    """A day with more events than its square holds links to the list of that day."""
    for hour in range(9, 15):
        EventFactory(starts_at=local(dt.date(2030, 4, 3), hour))
    response = client.get(MONTH, {"mois": "2030-04", "type": "workshop"})
    day = next(
        day for day in month_days(response) if day["date"] == "Mercredi 3 avril 2030"
    )
    assert len(day["events"]) == 4
    assert "et 2 autres" in text(response)
    assert day["more_url"] == f"{LIST}?du=2030-04-03&au=2030-04-03&type=workshop"
    listed = client.get(day["more_url"])
    assert len(titles(listed)) == 6
