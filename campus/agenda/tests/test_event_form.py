"""The event form refuses wrong, missing, oversized and hostile values in French,
answers 400 and saves nothing."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Audience, Event, EventKind
from campus.agenda.tests.factories import EventFactory
from campus.agenda.tests.test_views import form_data, future
from campus.network.models import MemberRole, Site
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.places.tests.factories import CommuneFactory
from campus.testing.images import image_bytes
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("agenda:event_create")


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def editor_client(client, organisation):
    client.force_login(
        MembershipFactory(organisation=organisation, role=MemberRole.EDITOR).user
    )
    return client


def when(days=20, hour=9):
    return future(days, hour).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"title": "x" * 201}, "au plus 200 caractères"),
        ({"kind": "rave"}, "Type inconnu"),
        ({"starts_at": ""}, "Indiquez la date et l'heure."),
        ({"starts_at": "demain matin"}, "Date ou heure invalide"),
        ({"starts_at": "2026-02-31T09:00"}, "Date ou heure invalide"),
        (
            {"starts_at": when(-3), "ends_at": when(-3, 12)},
            "Le début est passé",
        ),
        ({"ends_at": when(19)}, "La fin doit venir après le début."),
        ({"place_kind": "online"}, "a besoin de son lien de connexion"),
        (
            {"place_kind": "online", "online_url": "javascript:alert(1)"},
            "Adresse web invalide",
        ),
        ({"place_kind": "address", "address": "1 rue du Cuir"}, "Indiquez la commune"),
        ({"place_kind": "address", "commune": "Montbard"}, "Indiquez l'adresse"),
        ({"place_kind": "teleportation"}, "Lieu inconnu"),
        ({"commune": "Atlantide", "place_kind": "address"}, "Commune inconnue"),
        ({"registration_enabled": "on", "capacity": "0"}, "au moins 1 place"),
        ({"registration_enabled": "on", "capacity": "-5"}, "au moins 1 place"),
        ({"registration_enabled": "on", "capacity": "9" * 30}, "places"),
        ({"registration_enabled": "on", "capacity": "beaucoup"}, "nombre entier"),
        ({"capacity": "10"}, "Cochez « inscription »"),
        (
            {"registration_enabled": "on", "registration_closes_at": when(21)},
            "au plus tard au début",
        ),
        (
            {
                "registration_enabled": "on",
                "registration_opens_at": when(10),
                "registration_closes_at": when(5),
            },
            "doit suivre leur ouverture",
        ),
        ({"description": "<script>alert(1)</script>"}, "Le HTML n'est pas accepté"),
        ({"description": "[clic](javascript:alert(1))"}, "lien"),
        ({"description": "x" * 20_001}, "trop long"),
        ({"is_free": "", "price": ""}, "Indiquez le tarif"),
        ({"audiences": ["999999"]}, "Public inconnu"),
        ({"trades": ["abc"]}, "Métier inconnu"),
        ({"offerings": ["999999"]}, "Formation inconnue"),
        ({"site": "999999"}, "Site inconnu"),
    ],
)
def test_bad_values_are_refused_in_french_and_nothing_is_saved(
    editor_client, organisation, changes, message
):
    CommuneFactory(name="Montbard")
    response = editor_client.post(CREATE, form_data(organisation, **changes))
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Event.objects.exists()


def test_a_site_or_offering_of_another_organisation_is_refused(
    editor_client, organisation
):
    """Another organisation's site or training, even of a school the user edits, is refused."""
    other_site = Site.objects.create(organisation=OrganisationFactory(), name="Annexe")
    other_offering = OfferingFactory()
    response = editor_client.post(
        CREATE,
        form_data(organisation, site=other_site.pk, offerings=[other_offering.pk]),
    )
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert "Site inconnu" in body
    assert "Formation inconnue" in body
    assert not Event.objects.exists()


def test_an_image_needs_its_text_alternative(editor_client, organisation):
    image = SimpleUploadedFile("atelier.png", image_bytes(), "image/png")
    response = editor_client.post(CREATE, {**form_data(organisation), "image": image})
    assert response.status_code == 400
    assert "Décrivez l'image" in unescape(response.content.decode())
    assert not Event.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(editor_client, organisation):
    fake = SimpleUploadedFile("atelier.png", b"<svg onload=alert(1)>", "image/png")
    response = editor_client.post(
        CREATE, {**form_data(organisation, image_alt="Un atelier"), "image": fake}
    )
    assert response.status_code == 400
    assert "image" in unescape(response.content.decode()).lower()
    assert not Event.objects.exists()


def test_a_complete_event_is_saved_with_its_image_and_choices(
    editor_client, organisation
):
    """A valid event with an image, audiences, registration and an address is saved."""
    CommuneFactory(name="Montbard")
    offering = OfferingFactory(organisation=organisation)
    image = SimpleUploadedFile("atelier.png", image_bytes((800, 400)), "image/png")
    data = form_data(
        organisation,
        kind=EventKind.WORKSHOP,
        place_kind="address",
        address="1 rue du Cuir",
        commune="Montbard",
        image_alt="Des élèves à l'établi",
        audiences=[
            str(pk)
            for pk in Audience.objects.filter(code__in=["pupils", "parents"])
            .order_by("pk")
            .values_list("pk", flat=True)
        ],
        offerings=[offering.pk],
        registration_enabled="on",
        capacity="12",
        registration_closes_at=when(19),
        description="## Programme\n\n- coupe\n- piqûre",
    )
    response = editor_client.post(CREATE, {**data, "image": image})
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    assert event.image.name.endswith(".jpg")
    assert event.commune.name == "Montbard"
    assert (event.latitude, event.longitude) == (
        event.commune.latitude,
        event.commune.longitude,
    )
    assert event.audiences.count() == 2
    assert list(event.offerings.all()) == [offering]
    assert event.capacity == 12
    assert event.ends_at - event.starts_at == timedelta(hours=3)
    assert timezone.localtime(event.starts_at).hour == 9


def test_the_team_sees_the_trainings_of_the_organiser_only(client, organisation):
    """The team edits every organisation: its form lists one organiser's trainings,
    never every training of the region."""
    offering = OfferingFactory(organisation=organisation)
    other = OfferingFactory()
    client.force_login(UserFactory(campus_team=True))
    new = client.get(CREATE).context["form"]
    assert list(new.fields["offerings"].queryset) == []
    event = EventFactory(organisation=organisation)
    edit = client.get(reverse("agenda:event_edit", args=[event.pk])).context["form"]
    assert list(edit.fields["offerings"].queryset) == [offering]
    assert other not in edit.fields["offerings"].queryset
