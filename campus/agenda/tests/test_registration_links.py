"""The e-mailed links: confirming (places or waitlist) and cancelling, without an account."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campus.agenda import registration as rules
from campus.agenda.models import Registration, RegistrationStatus
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.agenda.tests.registration_helpers import (  # noqa: F401
    deliver_fixture,
    link_in,
    outbox_to,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def snapshot(registration):
    registration.refresh_from_db()
    return (registration.status, registration.confirmed_at, registration.cancelled_at)


def test_opening_the_confirmation_link_changes_nothing(client):
    """GET shows the registration and a button: mail scanners confirm nothing."""
    registration = RegistrationFactory(name="Camille Martin", places=3)
    before = snapshot(registration)
    response = client.get(registration.get_confirmation_url())
    assert response.status_code == 200
    page = text(response)
    assert "Camille Martin, 3 places" in page
    assert "Je confirme mon inscription" in page
    assert snapshot(registration) == before
    assert client.head(registration.get_confirmation_url()).status_code == 200


def test_confirming_takes_the_places_and_mails_the_cancellation_link(client, deliver):
    """With enough free places, the registration is confirmed and told so."""
    event = EventFactory(with_registration=True, capacity=5)
    RegistrationFactory(event=event, confirmed=True, places=2)
    registration = RegistrationFactory(event=event, places=3)
    response = deliver(client.post, registration.get_confirmation_url())
    assert response.status_code == 200
    assert "Merci, votre inscription est confirmée" in text(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None
    [message] = mail.outbox
    assert message.subject == f"Inscription confirmée : {event.title}"
    assert link_in(message, "/annuler/") == registration.get_cancellation_url()
    assert rules.places_left(event) == 0


def test_confirming_without_enough_places_joins_the_waitlist(client, deliver):
    """Too few free places: the registration waits, in order of confirmation."""
    event = EventFactory(with_registration=True, capacity=4)
    RegistrationFactory(event=event, confirmed=True, places=3)
    registration = RegistrationFactory(event=event, places=2)
    response = deliver(client.post, registration.get_confirmation_url())
    assert "Vous êtes sur la liste d'attente" in text(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WAITLISTED
    assert registration.waitlisted_at is not None
    [message] = mail.outbox
    assert message.subject == f"Liste d'attente : {event.title}"
    assert link_in(message, "/annuler/") == registration.get_cancellation_url()
    assert rules.places_left(event) == 1


def test_an_event_without_capacity_confirms_everyone(client):
    registration = RegistrationFactory(
        event=EventFactory(with_registration=True, capacity=None), places=10
    )
    client.post(registration.get_confirmation_url())
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_reused_confirmation_link_is_a_clear_410_and_changes_nothing(client):
    registration = RegistrationFactory(confirmed=True)
    before = snapshot(registration)
    for response in (
        client.get(registration.get_confirmation_url()),
        client.post(registration.get_confirmation_url()),
    ):
        assert response.status_code == 410
        assert "déjà été utilisé" in text(response)
    assert snapshot(registration) == before


def test_an_expired_confirmation_link_is_a_clear_410_and_changes_nothing(client):
    registration = RegistrationFactory()
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - timedelta(hours=48, minutes=1)
    )
    before = snapshot(registration)
    response = client.post(registration.get_confirmation_url())
    assert response.status_code == 410
    assert "a expiré : il était valable 48 heures" in text(response)
    assert snapshot(registration) == before


def test_a_link_of_a_cancelled_event_confirms_nothing(client):
    registration = RegistrationFactory(
        event=EventFactory(with_registration=True, cancelled=True)
    )
    response = client.post(registration.get_confirmation_url())
    assert response.status_code == 410
    assert "Cet événement est annulé" in text(response)
    assert snapshot(registration)[0] == RegistrationStatus.UNCONFIRMED


@pytest.mark.parametrize("action", ["confirmer", "annuler"])
@pytest.mark.parametrize("token", ["inconnu", "x" * 500, "%27%20OR%201%3D1", "efface"])
def test_unknown_links_are_a_clear_404(client, action, token):
    """Unknown tokens, and the tokens left on erased registrations, find nothing."""
    erased = RegistrationFactory(confirmed=True, email="")
    Registration.objects.filter(pk=erased.pk).update(token=f"efface-{erased.pk}")
    if token == "efface":
        token = f"efface-{erased.pk}"
    registration = RegistrationFactory(confirmed=True)
    for method in (client.get, client.post):
        response = method(f"/agenda/inscription/{action}/{token}/")
        assert response.status_code == 404
        assert "Ce lien ne correspond à aucune inscription" in text(response)
    assert snapshot(registration)[0] == RegistrationStatus.CONFIRMED


def test_opening_the_cancellation_link_changes_nothing(client):
    registration = RegistrationFactory(confirmed=True)
    before = snapshot(registration)
    response = client.get(registration.get_cancellation_url())
    assert response.status_code == 200
    assert "J'annule mon inscription" in text(response)
    assert snapshot(registration) == before


def test_cancelling_frees_the_place_for_the_waitlist(client, deliver):
    """A cancelled place goes to the first waiting registration, who is told by e-mail."""
    event = EventFactory(with_registration=True, capacity=2)
    holder = RegistrationFactory(event=event, confirmed=True, places=2)
    first = RegistrationFactory(event=event, waitlisted=True, places=2)
    second = RegistrationFactory(event=event, waitlisted=True, places=1)
    Registration.objects.filter(pk=second.pk).update(
        waitlisted_at=first.waitlisted_at + timedelta(minutes=1)
    )
    response = deliver(client.post, holder.get_cancellation_url())
    assert response.status_code == 200
    assert "Votre inscription est annulée" in text(response)
    holder.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert holder.cancelled_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.WAITLISTED
    [message] = outbox_to(first.email)
    assert message.subject == f"Une place s'est libérée : {event.title}"
    assert link_in(message, "/annuler/") == first.get_cancellation_url()
    assert outbox_to(second.email) == []
    assert outbox_to(holder.email) == []


def test_cancelling_twice_is_a_clear_410(client):
    registration = RegistrationFactory(cancelled=True)
    response = client.post(registration.get_cancellation_url())
    assert response.status_code == 410
    assert "déjà annulée" in text(response)


def test_a_started_event_cannot_be_cancelled_by_link(client):
    registration = RegistrationFactory(
        event=EventFactory(with_registration=True, past=True), confirmed=True
    )
    response = client.post(registration.get_cancellation_url())
    assert response.status_code == 410
    assert snapshot(registration)[0] == RegistrationStatus.CONFIRMED


def test_a_waiting_registrant_may_leave_the_waitlist(client):
    registration = RegistrationFactory(waitlisted=True)
    client.post(registration.get_cancellation_url())
    assert snapshot(registration)[0] == RegistrationStatus.CANCELLED


def test_every_email_to_a_registrant_carries_the_cancellation_link(deliver):
    """Confirmation, confirmed, waitlist, promotion, reminder, already registered."""
    event = EventFactory(with_registration=True, capacity=1, tomorrow=True)
    first = deliver(rules.register, event, RegistrationFactory.build(event=event))
    deliver(rules.confirm_registration, first)
    second = deliver(rules.register, event, RegistrationFactory.build(event=event))
    deliver(rules.confirm_registration, second)
    deliver(
        rules.register,
        event,
        RegistrationFactory.build(event=event, email=second.email),
    )
    deliver(rules.cancel_registration, first)
    deliver(rules.send_event_reminders)
    subjects = [message.subject.split(" :")[0] for message in mail.outbox]
    assert subjects == [
        "Confirmez votre inscription",
        "Inscription confirmée",
        "Confirmez votre inscription",
        "Liste d'attente",
        "Votre inscription",
        "Une place s'est libérée",
        "Rappel",
    ]
    for message in mail.outbox:
        registration = first if message.to == [first.email] else second
        assert link_in(message, "/annuler/") == registration.get_cancellation_url()
        assert event.get_absolute_url() in message.body
