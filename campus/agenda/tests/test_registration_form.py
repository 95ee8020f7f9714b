"""The public registration form of an event: who may register, and what is refused."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Registration, RegistrationStatus
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.agenda.tests.registration_helpers import deliver_fixture, link_in  # noqa: F401
from campus.network.tests.factories import MembershipFactory
from campus.testing.tasks import task_results

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(event):
    return f"/agenda/{event.slug}/inscription/"


def valid_data(**overrides):
    return {
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "places": "2",
        "school_name": "",
        "pupil_count": "",
        "website_confirmation": "",
        **overrides,
    }


def test_event_page_shows_the_form_with_the_free_places(client):
    """The event page carries the form and says how many places are left."""
    event = EventFactory(with_registration=True, capacity=12)
    RegistrationFactory(event=event, confirmed=True, places=4)
    page = text(client.get(event.get_absolute_url()))
    assert f'action="/agenda/{event.slug}/inscription/"' in page
    assert "8 places disponibles sur 12." in page
    assert "Voir les inscriptions" not in page


def test_event_without_registration_shows_no_box(client):
    event = EventFactory(registration_enabled=False)
    page = text(client.get(event.get_absolute_url()))
    assert "S'inscrire" not in page


def test_valid_registration_waits_unconfirmed_and_mails_the_links(client, deliver):
    """A registration holds no place until confirmed; the e-mail has both links."""
    event = EventFactory(with_registration=True, title="Atelier cuir & couture")
    response = deliver(client.post, url(event), valid_data())
    assert response.status_code == 302
    assert response["Location"] == "/agenda/inscription/envoyee/"
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.UNCONFIRMED
    assert (registration.name, registration.places) == ("Camille Martin", 2)
    [message] = mail.outbox
    assert message.to == ["camille.martin@example.org"]
    assert message.subject == "Confirmez votre inscription : Atelier cuir & couture"
    assert link_in(message, "/confirmer/") == registration.get_confirmation_url()
    assert link_in(message, "/annuler/") == registration.get_cancellation_url()
    assert "valable 48 heures" in message.body
    assert client.get(response["Location"]).status_code == 200


def test_a_class_registers_with_its_school_and_pupil_count(client):
    event = EventFactory(with_registration=True, capacity=40)
    data = valid_data(school_name="Collège Buffon", pupil_count="24", places="27")
    assert client.post(url(event), data).status_code == 302
    registration = Registration.objects.get()
    assert (registration.school_name, registration.pupil_count) == (
        "Collège Buffon",
        24,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"places": "0"}, "au moins 1 place"),
        ({"places": "-3"}, "au moins 1 place"),
        ({"places": ""}, "Indiquez le nombre de places"),
        ({"places": "deux"}, "nombre entier de places"),
        ({"places": "1e3"}, "nombre entier de places"),
        ({"places": "99999999999999999999"}, "au plus 45 places"),
        ({"places": "11"}, "individuelle compte au plus 10 places"),
        (
            {"school_name": "Collège", "pupil_count": "20", "places": "25"},
            "Cet événement compte 20 places en tout",
        ),
        ({"name": ""}, "Indiquez votre nom"),
        ({"name": "x" * 151}, "au plus 150 caractères"),
        ({"name": "Camille\r\nBcc: a@b.fr"}, "saut de ligne"),
        ({"email": ""}, "Indiquez votre adresse e-mail"),
        ({"email": "pas-un-email"}, "adresse e-mail valide"),
        ({"email": "a@b.fr\r\nBcc: victime@example.org"}, "adresse e-mail valide"),
        ({"email": "x" * 250 + "@example.org"}, "caractères"),
        ({"school_name": "Collège Buffon"}, "nombre d'élèves de la classe"),
        ({"pupil_count": "12", "places": "12"}, "établissement de la classe"),
        (
            {"school_name": "Collège", "pupil_count": "12", "places": "5"},
            "au moins une place par élève",
        ),
        ({"school_name": "C", "pupil_count": "41", "places": "41"}, "au plus 40"),
        ({"school_name": "x" * 201, "pupil_count": "3"}, "au plus 200 caractères"),
    ],
)
def test_bad_or_hostile_values_are_a_400_in_french_and_save_nothing(
    client, overrides, message, django_capture_on_commit_callbacks
):
    """Each bad value is refused with its French message; nothing is saved or sent."""
    event = EventFactory(with_registration=True, capacity=20)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(event), valid_data(**overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert not Registration.objects.exists()
    assert callbacks == []
    assert task_results() == []


def _now():
    return timezone.now()


@pytest.mark.parametrize(
    ("event_values", "message"),
    [
        ({"registration_enabled": False}, "pas proposée"),
        ({"cancelled": True}, "est annulé"),
        ({"past": True}, "déjà commencé ou est passé"),
        (
            {"registration_opens_at": timezone.now() + timedelta(days=2)},
            "L'inscription ouvrira le",
        ),
        (
            {"registration_closes_at": timezone.now() - timedelta(hours=1)},
            "L'inscription est close depuis le",
        ),
    ],
)
def test_closed_registration_is_a_409_in_french_and_saves_nothing(
    client, event_values, message, django_capture_on_commit_callbacks
):
    """Registration off, event cancelled or past, not yet open or closed: refused."""
    event = EventFactory(with_registration=True, **event_values)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(event), valid_data())
    assert response.status_code == 409
    assert message in text(response)
    assert not Registration.objects.exists()
    assert callbacks == []
    if not event_values.get("registration_enabled", True):
        return
    page = text(client.get(event.get_absolute_url()))
    assert message in page and 'name="email"' not in page


def test_unpublished_event_is_a_404_for_visitors_and_refused_for_its_members(
    client,
):
    """An unpublished event is hidden from visitors; its members may not register."""
    event = EventFactory(with_registration=True, draft=True)
    assert client.post(url(event), valid_data()).status_code == 404
    member = MembershipFactory(organisation=event.organisation).user
    client.force_login(member)
    response = client.post(url(event), valid_data())
    assert response.status_code == 409
    assert "n'est pas publié" in text(response)
    assert not Registration.objects.exists()


def test_unknown_event_is_a_404(client):
    assert client.post("/agenda/inconnu/inscription/", valid_data()).status_code == 404


def test_get_on_the_form_address_changes_nothing(client):
    event = EventFactory(with_registration=True)
    assert client.get(url(event)).status_code == 405


def test_filled_honeypot_gets_the_usual_answer_and_nothing_happens(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(with_registration=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url(event), valid_data(website_confirmation="http://spam.example")
        )
    assert response.status_code == 302
    assert response["Location"] == "/agenda/inscription/envoyee/"
    assert not Registration.objects.exists()
    assert callbacks == []


def test_one_address_is_limited_and_the_next_post_is_a_429(client):
    """The 26th registration from one address in an hour is refused in French."""
    event = EventFactory(with_registration=True, capacity=None)
    for number in range(25):
        response = client.post(url(event), valid_data(email=f"p{number}@example.org"))
        assert response.status_code == 302
    response = client.post(url(event), valid_data(email="autre@example.org"))
    assert response.status_code == 429
    assert "Trop de demandes" in text(response)
    assert Registration.objects.count() == 25


def test_one_recipient_gets_three_confirmation_emails_an_hour(client):
    """Registering someone else's address over and over stops at the 4th try."""
    events = EventFactory.create_batch(4, with_registration=True)
    for number, event in enumerate(events[:3]):
        response = client.post(
            url(event),
            valid_data(email="Victime@Example.org"),
            REMOTE_ADDR=f"203.0.113.{number}",
        )
        assert response.status_code == 302
    response = client.post(
        url(events[3]),
        valid_data(email="victime@example.org "),
        REMOTE_ADDR="198.51.100.1",
    )
    assert response.status_code == 429
    assert Registration.objects.count() == 3


def test_registering_twice_creates_nothing_and_reminds_the_links(client, deliver):
    """A second registration with the same address is not created; the address is
    reminded of its registration, and the page says the same as the first time."""
    event = EventFactory(with_registration=True)
    existing = RegistrationFactory(
        event=event, email="camille.martin@example.org", confirmed=True
    )
    response = deliver(
        client.post, url(event), valid_data(email="Camille.Martin@example.org")
    )
    assert response["Location"] == "/agenda/inscription/envoyee/"
    assert Registration.objects.count() == 1
    [message] = mail.outbox
    assert message.subject == f"Votre inscription : {event.title}"
    assert link_in(message, "/annuler/") == existing.get_cancellation_url()
    assert "/confirmer/" not in message.body


def test_an_expired_unconfirmed_registration_does_not_block_a_new_one(client):
    event = EventFactory(with_registration=True)
    old = RegistrationFactory(event=event, email="camille.martin@example.org")
    Registration.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=49)
    )
    assert client.post(url(event), valid_data()).status_code == 302
    assert Registration.objects.count() == 2


def test_members_and_team_see_the_link_to_the_list(client):
    event = EventFactory(with_registration=True)
    client.force_login(MembershipFactory(organisation=event.organisation).user)
    assert "Voir les inscriptions" in text(client.get(event.get_absolute_url()))
    client.force_login(UserFactory(campus_team=True))
    assert "Voir les inscriptions" in text(client.get(event.get_absolute_url()))
    client.force_login(MembershipFactory().user)
    assert "Voir les inscriptions" not in text(client.get(event.get_absolute_url()))
