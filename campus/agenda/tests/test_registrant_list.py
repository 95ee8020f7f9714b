"""The organiser's registrant list, its exports and attendance: never public."""

import csv
import html
import io

import pytest
from openpyxl import load_workbook

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Registration
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def event():
    event = EventFactory(
        with_registration=True, past=True, title="Atelier sellerie", capacity=10
    )
    RegistrationFactory(
        event=event, confirmed=True, name="Camille Martin", email="camille@example.org"
    )
    RegistrationFactory(
        event=event, waitlisted=True, name="Dominique Petit", email="do@example.org"
    )
    RegistrationFactory(event=event, name="Pas confirmé", email="non@example.org")
    RegistrationFactory(event=event, cancelled=True, name="Claude Annulé")
    return event


def list_url(event):
    return f"/espace/evenements/{event.slug}/inscriptions/"


def urls(event):
    return [
        list_url(event),
        list_url(event) + "export.csv",
        list_url(event) + "export.xlsx",
    ]


def member(event, role):
    return MembershipFactory(organisation=event.organisation, role=role).user


def test_anonymous_visitors_are_sent_to_the_login_page(client, event):
    for url in urls(event):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")


def test_another_organisation_gets_a_404_everywhere(client, event):
    """A partner never sees another organisation's registrants, nor that they exist."""
    client.force_login(MembershipFactory(role=MemberRole.EDITOR).user)
    for url in urls(event):
        assert client.get(url).status_code == 404
    registration = Registration.objects.get(name="Camille Martin")
    response = client.post(
        f"{list_url(event)}{registration.pk}/presence/", {"present": "oui"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.attended is None


@pytest.mark.parametrize("who", ["viewer", "editor", "team"])
def test_members_and_the_team_see_the_list(client, event, who):
    user = (
        UserFactory(campus_team=True)
        if who == "team"
        else member(event, MemberRole.EDITOR if who == "editor" else MemberRole.VIEWER)
    )
    client.force_login(user)
    response = client.get(list_url(event))
    assert response.status_code == 200
    page = text(response)
    assert "Camille Martin" in page and "camille@example.org" in page
    assert "Dominique Petit" in page
    assert "Pas confirmé" not in page and "Claude Annulé" not in page
    assert "Annulées" in page
    assert ("/presence/" in page) is (who != "viewer")


def test_a_viewer_cannot_mark_attendance(client, event):
    client.force_login(member(event, MemberRole.VIEWER))
    registration = Registration.objects.get(name="Camille Martin")
    response = client.post(
        f"{list_url(event)}{registration.pk}/presence/", {"present": "oui"}
    )
    assert response.status_code == 404


def test_the_list_page_has_a_bounded_number_of_queries(
    client, event, django_assert_max_num_queries
):
    RegistrationFactory.create_batch(30, event=event, confirmed=True)
    client.force_login(member(event, MemberRole.EDITOR))
    with django_assert_max_num_queries(14):
        assert client.get(list_url(event)).status_code == 200


@pytest.fixture
def hostile(event):
    """A registrant whose values would run as spreadsheet formulas."""
    return RegistrationFactory(
        event=event,
        confirmed=True,
        name='=HYPERLINK("http://evil.example","clic")',
        email="plus@example.org",
        school_name="+33 Collège ; « Buffon »",
        pupil_count=2,
        places=3,
    )


def test_csv_export_reads_back_with_formulas_neutralised(client, event, hostile):
    client.force_login(member(event, MemberRole.VIEWER))
    response = client.get(list_url(event) + "export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="inscriptions-{event.slug}-'
    )
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0] == [
        "Nom",
        "E-mail",
        "Places",
        "Établissement",
        "Élèves",
        "Statut",
        "Confirmée le",
        "Présence",
    ]
    assert rows[-1][0] == "Dominique Petit"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {
        "Camille Martin",
        "Dominique Petit",
        '\'=HYPERLINK("http://evil.example","clic")',
    }
    row = by_name['\'=HYPERLINK("http://evil.example","clic")']
    assert row[1:6] == [
        "plus@example.org",
        "3",
        "'+33 Collège ; « Buffon »",
        "2",
        "Inscrit",
    ]
    assert by_name["Dominique Petit"][5] == "Liste d'attente"


def test_xlsx_export_reads_back_without_any_formula(client, event, hostile):
    client.force_login(UserFactory(campus_team=True))
    response = client.get(list_url(event) + "export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nom"
    assert len(rows) == 4
    values = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert not [value for value in values if value.startswith(("=", "+", "-", "@"))]
    hostile_row = next(row for row in rows if row[1] == "plus@example.org")
    assert hostile_row[0] == '\'=HYPERLINK("http://evil.example","clic")'
    assert hostile_row[2] == 3
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_marking_attendance_without_javascript_redirects_to_the_list(client, event):
    client.force_login(member(event, MemberRole.EDITOR))
    registration = Registration.objects.get(name="Camille Martin")
    response = client.post(
        f"{list_url(event)}{registration.pk}/presence/", {"present": "oui"}
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(event)
    registration.refresh_from_db()
    assert registration.attended is True
    page = text(client.get(list_url(event)))
    assert "Présence de Camille Martin enregistrée." in page


def test_marking_attendance_with_htmx_returns_the_row(client, event):
    client.force_login(UserFactory(campus_team=True))
    registration = Registration.objects.get(name="Camille Martin")
    response = client.post(
        f"{list_url(event)}{registration.pk}/presence/",
        {"present": "non"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    row = text(response).strip()
    assert row.startswith(f'<tr id="inscrit-{registration.pk}">')
    assert "Absent" in row and 'value="oui"' in row and 'value="non"' not in row
    registration.refresh_from_db()
    assert registration.attended is False


@pytest.mark.parametrize("value", ["peut-être", "1", "<script>"])
def test_an_unknown_attendance_value_is_refused_in_french(client, event, value):
    client.force_login(member(event, MemberRole.EDITOR))
    registration = Registration.objects.get(name="Camille Martin")
    response = client.post(
        f"{list_url(event)}{registration.pk}/presence/", {"present": value}
    )
    assert response.status_code == 409
    assert "Choisissez « présent », « absent » ou rien." in text(response)
    registration.refresh_from_db()
    assert registration.attended is None


def test_waiting_registrants_cannot_be_marked(client, event):
    client.force_login(member(event, MemberRole.EDITOR))
    registration = Registration.objects.get(name="Dominique Petit")
    response = client.post(
        f"{list_url(event)}{registration.pk}/presence/", {"present": "oui"}
    )
    assert response.status_code == 409
    assert "Seules les personnes inscrites" in text(response)


def test_attendance_of_another_event_through_this_events_address_is_a_404(
    client, event
):
    client.force_login(member(event, MemberRole.EDITOR))
    other = RegistrationFactory(
        event=EventFactory(
            with_registration=True, past=True, organisation=event.organisation
        ),
        confirmed=True,
    )
    response = client.post(f"{list_url(event)}{other.pk}/presence/", {"present": "oui"})
    assert response.status_code == 404


def test_a_long_list_is_paginated_and_marking_returns_to_its_page(client, event):
    """Past 100 holders the list has pages; marking someone keeps the editor's page."""
    RegistrationFactory.create_batch(120, event=event, confirmed=True, name="Zoé")
    client.force_login(member(event, MemberRole.EDITOR))
    page = text(client.get(list_url(event)))
    assert "Inscrits (121)" in page and "Page 1 sur 2" in page
    second = text(client.get(list_url(event), {"page": "2"}))
    assert 'name="page" value="2"' in second
    registration = Registration.objects.filter(name="Zoé").order_by("pk").last()
    url = f"{list_url(event)}{registration.pk}/presence/"
    response = client.post(url, {"present": "oui", "page": "2"})
    assert response["Location"] == list_url(event) + "?page=2"
    response = client.post(
        url, {"present": "non", "page": "2"}, headers={"HX-Request": "true"}
    )
    assert 'name="page" value="2"' in text(response)
    response = client.post(url, {"present": "", "page": "9" * 40})
    assert response["Location"] == list_url(event)


def test_names_typed_by_registrants_are_escaped_on_the_list(client, event):
    RegistrationFactory(event=event, confirmed=True, name='<script>alert("x")</script>')
    client.force_login(member(event, MemberRole.EDITOR))
    page = client.get(list_url(event)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
