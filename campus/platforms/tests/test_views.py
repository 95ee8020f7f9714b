"""Who may see and change equipment and bookings, and what bad input gives: a French
message, a 4xx and nothing changed."""

import datetime as dt
import html
import io

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory
from campus.platforms.models import Booking, BookingStatus, Equipment
from campus.platforms.tests.factories import (
    BookingFactory,
    EquipmentFactory,
    PlatformFactory,
)
from campus.platforms.times import PARIS

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "requester",
    "other_partner",
    "manager",
    "platform_editor",
    "other_platform_editor",
    "team",
]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    """A platform with an editor, a viewer managing its equipment, a pending request
    by a partner, another partner and another platform's editor."""
    platform = PlatformFactory()
    manager = MembershipFactory(organisation=platform, role=MemberRole.VIEWER).user
    equipment = EquipmentFactory(organisation=platform, manager=manager, name="Pareuse")
    requester_membership = MembershipFactory(role=MemberRole.VIEWER)
    booking = BookingFactory(
        equipment=equipment,
        requester=requester_membership.user,
        organisation=requester_membership.organisation,
    )
    return {
        "equipment": equipment,
        "booking": booking,
        "anonymous": None,
        "requester": requester_membership.user,
        "other_partner": MembershipFactory().user,
        "manager": manager,
        "platform_editor": MembershipFactory(organisation=platform).user,
        "other_platform_editor": MembershipFactory(organisation=PlatformFactory()).user,
        "team": UserFactory(campus_team=True),
    }


def as_actor(client, world, actor):
    if world[actor] is not None:
        client.force_login(world[actor])
    return client


def expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")
    else:
        assert response.status_code == expected, response.status_code


EDIT_MATRIX = {
    "anonymous": "login",
    "requester": 404,
    "other_partner": 404,
    "manager": 404,
    "platform_editor": 200,
    "other_platform_editor": 404,
    "team": 200,
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "path", ["/espace/plateformes/{pk}/", "/espace/plateformes/{pk}/supprimer/"]
)
def test_only_the_platform_editors_and_the_team_open_equipment_pages(
    client, world, actor, path
):
    response = as_actor(client, world, actor).get(path.format(pk=world["equipment"].pk))
    expect(response, EDIT_MATRIX[actor])


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_platform_editors_and_the_team_change_the_feed_secret(
    client, world, actor
):
    equipment = world["equipment"]
    token = equipment.calendar_token
    response = as_actor(client, world, actor).post(
        f"/espace/plateformes/{equipment.pk}/calendrier/"
    )
    equipment.refresh_from_db()
    if EDIT_MATRIX[actor] == 200:
        assert response.status_code == 302
        assert equipment.calendar_token != token
    else:
        expect(response, EDIT_MATRIX[actor])
        assert equipment.calendar_token == token


DECIDE_MATRIX = {
    "anonymous": "login",
    "requester": 404,
    "other_partner": 404,
    "manager": 302,
    "platform_editor": 302,
    "other_platform_editor": 404,
    "team": 302,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_manager_the_platform_editors_and_the_team_approve(
    client, world, actor
):
    booking = world["booking"]
    response = as_actor(client, world, actor).post(
        f"/espace/plateformes/reservations/{booking.pk}/accepter/"
    )
    expect(response, DECIDE_MATRIX[actor])
    booking.refresh_from_db()
    approved = DECIDE_MATRIX[actor] == 302
    assert booking.status == (
        BookingStatus.APPROVED if approved else BookingStatus.PENDING
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_manager_the_platform_editors_and_the_team_refuse(
    client, world, actor
):
    booking = world["booking"]
    client = as_actor(client, world, actor)
    url = f"/espace/plateformes/reservations/{booking.pk}/refuser/"
    expected = DECIDE_MATRIX[actor]
    expect(client.get(url), 200 if expected == 302 else expected)
    expect(client.post(url, {"reason": "Maintenance."}), expected)
    booking.refresh_from_db()
    refused = expected == 302
    assert booking.status == (
        BookingStatus.REFUSED if refused else BookingStatus.PENDING
    )


CANCEL_MATRIX = {
    "anonymous": "login",
    "requester": 302,
    "other_partner": 404,
    "manager": 404,
    "platform_editor": 404,
    "other_platform_editor": 404,
    "team": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_requester_cancels_their_booking(client, world, actor):
    booking = world["booking"]
    response = as_actor(client, world, actor).post(
        f"/espace/reservations/{booking.pk}/annuler/"
    )
    expect(response, CANCEL_MATRIX[actor])
    booking.refresh_from_db()
    cancelled = CANCEL_MATRIX[actor] == 302
    assert booking.status == (
        BookingStatus.CANCELLED if cancelled else BookingStatus.PENDING
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_lists_show_each_person_their_own_bookings(client, world, actor):
    """The requester's list and the deciders' list hold only the bookings they may see."""
    client = as_actor(client, world, actor)
    mine = client.get("/espace/reservations/")
    decide = client.get("/espace/plateformes/reservations/")
    if actor == "anonymous":
        expect(mine, "login")
        expect(decide, "login")
        return
    purpose = world["booking"].purpose
    assert (purpose in text(mine)) == (actor == "requester")
    assert (purpose in text(decide)) == (DECIDE_MATRIX[actor] == 302)


@pytest.mark.parametrize("actor", ACTORS)
def test_the_public_calendar_never_says_who_booked(client, world, actor):
    booking = world["booking"]
    booking.status = BookingStatus.APPROVED
    booking.save()
    monday = booking.starts_at.astimezone(PARIS).date().isocalendar()
    response = as_actor(client, world, actor).get(
        f"/plateformes/{booking.equipment.slug}/?semaine={monday[0]}-W{monday[1]:02d}"
    )
    assert response.status_code == 200
    assert "Réservé de 14 h à 17 h" in text(response)
    assert booking.requester.get_full_name() not in text(response)
    assert booking.purpose not in text(response)
    assert booking.organisation.name not in text(response)


def test_an_unpublished_equipment_is_hidden_from_the_public(client, world):
    equipment = world["equipment"]
    equipment.is_published = False
    equipment.save()
    assert client.get(equipment.get_absolute_url()).status_code == 404
    client.force_login(world["manager"])
    assert client.get(equipment.get_absolute_url()).status_code == 200
    client.force_login(world["requester"])
    assert client.get(f"/plateformes/{equipment.slug}/reserver/").status_code == 404


@pytest.mark.parametrize("week", ["2027-W99", "semaine", "2027-12", "x" * 500])
def test_a_wrong_week_gives_a_french_400_and_the_current_week(client, world, week):
    response = client.get(f"{world['equipment'].get_absolute_url()}?semaine={week}")
    assert response.status_code == 400
    assert "Semaine invalide" in text(response)


def test_the_list_filters_by_platform_and_words(client, world):
    other = EquipmentFactory(name="Découpe laser")
    response = client.get("/plateformes/")
    assert "Pareuse" in text(response) and "Découpe laser" in text(response)
    response = client.get(f"/plateformes/?plateforme={other.organisation.slug}")
    assert "Pareuse" not in text(response) and "Découpe laser" in text(response)
    response = client.get("/plateformes/?q=pareuse")
    assert "Pareuse" in text(response) and "Découpe laser" not in text(response)
    response = client.get("/plateformes/?plateforme=inconnue")
    assert response.status_code == 400
    assert "Plateforme inconnue" in text(response)


# The manager's feed


def test_the_feed_needs_the_secret_token(client, world):
    booking = world["booking"]
    booking.status = BookingStatus.APPROVED
    booking.save()
    equipment = world["equipment"]
    url = f"/plateformes/{equipment.slug}/reservations.ics"
    assert client.get(url).status_code == 404
    assert client.get(url + "?jeton=faux").status_code == 404
    response = client.get(f"{url}?jeton={equipment.calendar_token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert booking.requester.get_full_name() in str(event["summary"])
    old = equipment.calendar_token
    client.force_login(world["platform_editor"])
    client.post(f"/espace/plateformes/{equipment.pk}/calendrier/")
    assert client.get(f"{url}?jeton={old}").status_code == 404


# Booking requests


def _slot(days=2, start="09:00", end="12:00"):
    day = (timezone.localdate() + dt.timedelta(days=days)).isoformat()
    return f"{day}T{start}", f"{day}T{end}"


def test_a_partner_requests_a_slot(client, world, mailoutbox):
    requester = world["requester"]
    client.force_login(requester)
    start, end = _slot()
    url = f"/plateformes/{world['equipment'].slug}/reserver/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": world["booking"].organisation_id,
            "starts_at": start,
            "ends_at": end,
            "purpose": "Essai",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    booking = Booking.objects.get(purpose="Essai")
    assert booking.requester == requester
    assert booking.starts_at.astimezone(PARIS).hour == 9
    assert booking.status == BookingStatus.PENDING


def test_an_account_without_organisation_cannot_request(client, world):
    client.force_login(UserFactory())
    start, end = _slot()
    url = f"/plateformes/{world['equipment'].slug}/reserver/"
    assert "Seuls les membres" in text(client.get(url))
    response = client.post(
        url, {"starts_at": start, "ends_at": end, "purpose": "Essai"}
    )
    assert response.status_code == 400
    assert not Booking.objects.filter(purpose="Essai").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T05:00"},
            "n'existe pas",
        ),
        ({"ends_at": "2027-10-31T02:30"}, "existe deux fois"),
        ({"starts_at": "demain", "ends_at": "après"}, "Date ou heure invalide"),
        ({"starts_at": "", "ends_at": ""}, "Indiquez la date et l'heure"),
        ({"reverse": True}, "après son début"),
        ({"past": True}, "passé"),
        ({"too_long": True}, "14 jours"),
        ({"organisation": "999999"}, "Organisation inconnue"),
        ({"purpose": ""}, "obligatoire"),
        ({"purpose": "x" * 3000}, "2000"),
        ({"starts_at": "2027-03-28T09:00\x00", "ends_at": "<script>"}, "invalide"),
    ],
)
def test_bad_requests_give_a_french_message_and_save_nothing(
    client, world, data, message
):
    client.force_login(world["requester"])
    start, end = _slot()
    post = {
        "organisation": world["booking"].organisation_id,
        "starts_at": start,
        "ends_at": end,
        "purpose": "Essai",
    }
    if data.pop("reverse", False):
        post["starts_at"], post["ends_at"] = end, start
    if data.pop("past", False):
        post["starts_at"], post["ends_at"] = _slot(days=-1)
    if data.pop("too_long", False):
        post["ends_at"] = _slot(days=20)[1]
    post.update(data)
    count = Booking.objects.count()
    response = client.post(f"/plateformes/{world['equipment'].slug}/reserver/", post)
    assert response.status_code == 400, text(response)
    assert message in text(response)
    assert Booking.objects.count() == count


def test_a_request_over_an_approved_booking_gives_a_409(client, world):
    booking = world["booking"]
    booking.status = BookingStatus.APPROVED
    booking.save()
    client.force_login(world["requester"])
    start = booking.starts_at.astimezone(PARIS)
    response = client.post(
        f"/plateformes/{booking.equipment.slug}/reserver/",
        {
            "organisation": booking.organisation_id,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "purpose": "Essai",
        },
    )
    assert response.status_code == 409
    assert "chevauche" in text(response)
    assert Booking.objects.count() == 1


def test_approving_an_overlapping_request_gives_a_409_and_changes_nothing(
    client, world
):
    booking = world["booking"]
    BookingFactory(
        equipment=booking.equipment,
        approved=True,
        starts_at=booking.starts_at + dt.timedelta(hours=1),
        ends_at=booking.ends_at + dt.timedelta(hours=1),
    )
    client.force_login(world["manager"])
    response = client.post(f"/espace/plateformes/reservations/{booking.pk}/accepter/")
    assert response.status_code == 409
    assert "chevauche" in text(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


def test_refusing_without_a_reason_gives_a_400(client, world):
    client.force_login(world["manager"])
    booking = world["booking"]
    response = client.post(
        f"/espace/plateformes/reservations/{booking.pk}/refuser/", {"reason": ""}
    )
    assert response.status_code == 400
    assert "motif" in text(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


# Equipment form


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 60, 20)).save(buffer, "PNG")
    return SimpleUploadedFile(
        "machine.png", buffer.getvalue(), content_type="image/png"
    )


def _equipment_data(world, **overrides):
    return {
        "organisation": world["equipment"].organisation_id,
        "name": "Découpe laser",
        "description": "Une **machine**.",
        "hourly_price": "12,50",
        "manager": world["manager"].pk,
        "is_published": "on",
        **overrides,
    }


def test_an_editor_adds_equipment_with_a_photo(client, world):
    client.force_login(world["platform_editor"])
    response = client.post(
        "/espace/plateformes/ajouter/",
        _equipment_data(world, photo=_photo(), photo_alt="La machine vue de face"),
    )
    assert response.status_code == 302, text(response)
    equipment = Equipment.objects.get(name="Découpe laser")
    assert str(equipment.hourly_price) == "12.50"
    assert equipment.photo.name.endswith(".jpg")
    assert client.get("/espace/plateformes/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"photo": "photo", "photo_alt": ""}, "texte alternatif est obligatoire"),
        ({"hourly_price": ""}, "cochez « gratuit »"),
        ({"hourly_price": "-3"}, "négatif"),
        ({"hourly_price": "=1+1"}, "Tarif invalide"),
        ({"description": "<script>alert(1)</script>"}, "HTML"),
        ({"manager": "other"}, "membre de la plateforme"),
        ({"organisation": "other"}, "Organisation inconnue"),
        ({"name": ""}, "obligatoire"),
    ],
)
def test_bad_equipment_gives_a_french_message_and_saves_nothing(
    client, world, overrides, message
):
    client.force_login(world["platform_editor"])
    if overrides.get("photo") == "photo":
        overrides["photo"] = _photo()
    if overrides.get("manager") == "other":
        overrides["manager"] = world["other_partner"].pk
    if overrides.get("organisation") == "other":
        overrides["organisation"] = PlatformFactory().pk
    response = client.post(
        "/espace/plateformes/ajouter/", _equipment_data(world, **overrides)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Equipment.objects.filter(name="Découpe laser").exists()


def test_a_partner_without_platform_cannot_add_equipment(client, world):
    client.force_login(world["other_partner"])
    response = client.post("/espace/plateformes/ajouter/", _equipment_data(world))
    assert response.status_code == 302
    assert not Equipment.objects.filter(name="Découpe laser").exists()


# Team usage


@pytest.mark.parametrize("actor", ACTORS)
def test_usage_pages_are_for_the_team(client, world, actor):
    client = as_actor(client, world, actor)
    for url in ["/gestion/plateformes/", "/gestion/plateformes/usage.xlsx"]:
        response = client.get(url)
        if actor == "team":
            assert response.status_code == 200
        else:
            expect(response, "login" if actor == "anonymous" else 404)


def test_usage_table_and_workbook(client, world):
    booking = world["booking"]
    booking.status = BookingStatus.APPROVED
    booking.save()
    year = booking.starts_at.astimezone(PARIS).year
    client.force_login(world["team"])
    response = client.get(f"/gestion/plateformes/?annee={year}")
    assert "Pareuse" in text(response)
    assert "3 h" in text(response)
    response = client.get(f"/gestion/plateformes/usage.xlsx?annee={year}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == (
        "Plateforme",
        "Équipement",
        "Mois",
        "Heures réservées",
        "Réservations",
    )
    assert len(rows) == 13
    month = booking.starts_at.astimezone(PARIS).month
    assert rows[month][3:] == (3, 1)
    for bad in ["deux-mille", "1850", "99999999999999999999"]:
        response = client.get(f"/gestion/plateformes/?annee={bad}")
        assert response.status_code == 400
        assert "Année invalide" in text(response) or "entre 2000 et 2100" in text(
            response
        )


@pytest.mark.parametrize("actor", ACTORS)
def test_the_feed_address_is_shown_to_the_manager_and_the_editors_only(
    client, world, actor
):
    response = as_actor(client, world, actor).get("/espace/plateformes/")
    if actor == "anonymous":
        expect(response, "login")
        return
    token = world["equipment"].calendar_token
    assert (token in text(response)) == (actor in {"manager", "platform_editor"})


def test_the_list_reads_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    """More platforms and equipment cost no more queries."""
    for _ in range(3):
        EquipmentFactory(organisation=PlatformFactory())
    with django_assert_max_num_queries(5):
        response = client.get("/plateformes/")
    assert response.status_code == 200
