"""Subscribing with double opt-in, through the real task worker and a real SMTP server."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from campus.newsletter.models import Subscriber, SubscriberStatus, Topic
from campus.newsletter.tests.factories import SubscriberFactory

URL = "/lettre/"


def valid_data(**overrides):
    return {
        "email": "lea.dupont@exemple.fr",
        "topics": ["events", "trades"],
        "consent": "on",
        "website_confirmation": "",
        **overrides,
    }


def page(response) -> str:
    return html.unescape(response.content.decode())


def link_in(text: str, path: str) -> str:
    found = re.search(rf"https?://[^\s\"<>]+({re.escape(path)}[^\s\"<>]+/)", text)
    assert found, text
    return found.group(1)


@pytest.mark.django_db
def test_form_page_is_public_and_states_the_delay(client):
    """Anyone sees the form, its topics, the consent sentence and the link's delay."""
    response = client.get(URL)
    assert response.status_code == 200
    text = page(response)
    assert "Recevoir la lettre d'information" in text
    assert "Métiers et savoir-faire" in text
    assert "valable 7 jours" in text
    assert 'name="website_confirmation"' in text


# The worker closes connections it finds inside a transaction: these tests run
# without the test transaction, as the worker does in production.
@pytest.mark.django_db(transaction=True)
def test_subscription_end_to_end_through_a_real_smtp_server(
    client, run_tasks, smtp_server
):
    """The confirmation e-mail arrives over SMTP, its link confirms once, and its
    headers and links unsubscribe in one click."""
    response = client.post(URL, valid_data())
    assert response.status_code == 302
    assert response["Location"] == "/lettre/merci/"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.topic_codes == ["events", "trades"]
    assert subscriber.confirmed_at is None
    assert smtp_server.messages == []

    run_tasks()
    [received] = smtp_server.messages
    assert received.recipients == ["lea.dupont@exemple.fr"]
    assert "Confirmez votre abonnement" in received.subject
    # Two parts, and the HTML has no image at all: nothing to track opening.
    assert received.message.get_content_type() == "multipart/alternative"
    assert "valable 7 jours" in received.text
    assert "<img" not in received.html
    assert 'lang="fr"' in received.html
    # RFC 8058: an https (here http, the test site) link and the one-click POST.
    unsubscribe_url = f"http://127.0.0.1:8000/lettre/desabonnement/{subscriber.token}/"
    # A long header is folded on the wire: unfolded, its value starts after the space.
    assert (
        received["List-Unsubscribe"]
        .strip()
        .startswith(f"<{unsubscribe_url}>, <mailto:")
    )
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["List-Id"].endswith("<lettre.127.0.0.1>")
    assert subscriber.get_preferences_url() in received.text
    assert subscriber.get_preferences_url() in received.html

    confirmation = link_in(received.text, "/lettre/confirmer/")
    # Opening the link (a mail scanner does) changes nothing.
    assert client.get(confirmation).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    response = client.post(confirmation)
    assert response.status_code == 200
    assert "Votre abonnement est confirmé" in page(response)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_at is not None

    # A reused link: a clear page, nothing changed.
    consent = subscriber.confirmed_at
    response = client.post(confirmation)
    assert response.status_code == 400
    assert "Ce lien a déjà servi" in page(response)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == consent

    # The mail client's one-click POST: no cookie, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/lettre/desabonnement/{subscriber.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_known_address_gets_the_same_answer_and_keeps_its_topics(
    client, run_tasks, smtp_server
):
    """Subscribing an active address says the same thing as a new one; its owner
    is told by e-mail, and its topics do not change."""
    SubscriberFactory(email="lea.dupont@exemple.fr", active=True, topics=["calls"])
    known = client.post(URL, valid_data(email="Lea.Dupont@exemple.fr"))
    new = client.post(URL, valid_data(email="nouveau@exemple.fr"))
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert Subscriber.objects.count() == 2
    existing = Subscriber.objects.with_email("lea.dupont@exemple.fr").get()
    assert existing.status == SubscriberStatus.ACTIVE
    assert existing.topic_codes == ["calls"]
    run_tasks()
    [told] = smtp_server.to("lea.dupont@exemple.fr")
    assert "déjà abonné" in told.subject
    assert "/lettre/confirmer/" not in told.text
    assert existing.get_preferences_url() in told.text


@pytest.mark.django_db
def test_a_pending_address_asking_again_gets_a_new_link_and_the_old_one_dies(
    client, django_capture_on_commit_callbacks
):
    """A second request replaces the confirmation link: the first one is unknown."""
    subscriber = SubscriberFactory(email="lea.dupont@exemple.fr")
    old_link = subscriber.get_confirmation_url()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_data())
    subscriber.refresh_from_db()
    assert subscriber.get_confirmation_url() != old_link
    assert client.get(old_link).status_code == 404
    assert client.post(old_link).status_code == 404


@pytest.mark.django_db
def test_an_unsubscribed_address_must_confirm_again(
    client, django_capture_on_commit_callbacks
):
    """Coming back after unsubscribing needs a new consent."""
    subscriber = SubscriberFactory(email="lea.dupont@exemple.fr", unsubscribed=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_data())
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.unsubscribed_at is subscriber.confirmed_at is None


@pytest.mark.django_db
def test_an_expired_link_shows_a_clear_page_and_changes_nothing(client):
    subscriber = SubscriberFactory(expired=True)
    url = subscriber.get_confirmation_url()
    response = client.get(url)
    assert response.status_code == 400
    assert "a expiré" in page(response)
    response = client.post(url)
    assert response.status_code == 400
    assert "a expiré" in page(response)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.confirmed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/lettre/confirmer/inconnu/",
        "/lettre/preferences/inconnu/",
        "/lettre/preferences/inconnu/mes-donnees.json",
        "/lettre/preferences/inconnu/supprimer/",
        "/lettre/desabonnement/inconnu/",
    ],
)
def test_unknown_tokens_are_404(client, path):
    assert client.get(path).status_code == 404
    if not path.endswith(".json"):
        assert client.post(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Indiquez votre adresse e-mail."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
        (
            {"email": "a@b.fr\r\nBcc: victime@exemple.fr"},
            "Saisissez une adresse e-mail valide",
        ),
        ({"email": "x" * 250 + "@exemple.fr"}, "trop longue"),
        ({"email": "<script>alert(1)</script>@exemple.fr"}, "adresse e-mail valide"),
        ({"topics": []}, "Choisissez au moins un thème."),
        ({"topics": ["pirates"]}, "Ce thème n'existe pas"),
        ({"consent": ""}, "Cochez la case pour consentir"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_stored(
    client, overrides, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, valid_data(**overrides))
    assert response.status_code == 400
    assert message in page(response)
    assert "<script>alert" not in response.content.decode()
    assert Subscriber.objects.count() == 0
    assert callbacks == []


@pytest.mark.django_db
def test_a_robot_filling_the_honeypot_gets_the_same_answer_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            URL, valid_data(website_confirmation="http://spam.example")
        )
    assert response.status_code == 302
    assert response["Location"] == "/lettre/merci/"
    assert Subscriber.objects.count() == 0
    assert callbacks == []


@pytest.mark.django_db
def test_the_form_is_rate_limited_per_recipient(
    client, settings, django_capture_on_commit_callbacks
):
    """A fourth request for one address within the hour is refused with a 429."""
    settings.CAMPUS_PUBLIC_FORM_RATE_PER_RECIPIENT = "3/h"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            assert client.post(URL, valid_data()).status_code == 302
        response = client.post(URL, valid_data())
    assert response.status_code == 429
    assert "Trop de demandes" in page(response)
    assert len(callbacks) == 3


@pytest.mark.django_db
def test_the_preference_page_changes_topics(client):
    subscriber = SubscriberFactory(active=True, topics=["events"])
    url = subscriber.get_preferences_url()
    response = client.get(url)
    assert response.status_code == 200
    assert subscriber.email in page(response)
    response = client.post(url, {"topics": ["trainings", "calls"]})
    assert response.status_code == 302
    assert subscriber.topic_codes == ["trainings", "calls"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("topics", "message"),
    [([], "Choisissez au moins un thème."), (["<b>x</b>"], "Ce thème n'existe pas")],
)
def test_the_preference_page_refuses_bad_topics(client, topics, message):
    subscriber = SubscriberFactory(active=True, topics=["events"])
    response = client.post(subscriber.get_preferences_url(), {"topics": topics})
    assert response.status_code == 400
    assert message in page(response)
    assert subscriber.topic_codes == ["events"]


@pytest.mark.django_db
def test_the_preference_page_exports_the_data_as_json(client):
    subscriber = SubscriberFactory(
        email="lea@exemple.fr", active=True, topics=["events"]
    )
    response = client.get(f"/lettre/preferences/{subscriber.token}/mes-donnees.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()["lettre_d_information"]
    assert data["email"] == "lea@exemple.fr"
    assert data["themes"] == [Topic.EVENTS.label]
    assert data["consentement_donne_le"] == subscriber.confirmed_at.isoformat()


@pytest.mark.django_db
def test_deleting_from_the_preference_page_erases_the_address(client):
    subscriber = SubscriberFactory(active=True)
    url = f"/lettre/preferences/{subscriber.token}/supprimer/"
    assert client.get(url).status_code == 200
    assert Subscriber.objects.count() == 1
    response = client.post(url)
    assert response.status_code == 200
    assert "Vos données sont effacées" in page(response)
    assert Subscriber.objects.count() == 0
    assert client.get(subscriber.get_preferences_url()).status_code == 404


@pytest.mark.django_db
def test_unsubscribe_page_asks_on_get_and_posting_twice_changes_nothing(client):
    subscriber = SubscriberFactory(active=True)
    url = subscriber.get_unsubscribe_url()
    response = client.get(url)
    assert response.status_code == 200
    assert "Me désabonner" in page(response)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    client.post(url)
    subscriber.refresh_from_db()
    first = subscriber.unsubscribed_at
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == first


@pytest.mark.django_db
def test_only_the_unsubscribe_view_skips_the_csrf_check():
    """The preference and deletion forms keep Django's CSRF protection."""
    subscriber = SubscriberFactory(active=True)
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(subscriber.get_preferences_url(), {"topics": ["calls"]}).status_code
        == 403
    )
    assert (
        client.post(f"/lettre/preferences/{subscriber.token}/supprimer/").status_code
        == 403
    )
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert subscriber.topic_codes == ["events"]


@pytest.mark.django_db
def test_confirmation_delay_is_a_setting(client, settings):
    settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS = 2
    subscriber = SubscriberFactory(
        confirmation_sent_at=timezone.now() - timedelta(days=3)
    )
    assert client.get(subscriber.get_confirmation_url()).status_code == 400


@pytest.mark.django_db
def test_pages_of_private_links_are_never_indexed(client):
    subscriber = SubscriberFactory(active=True)
    for url in (
        subscriber.get_confirmation_url(),
        subscriber.get_preferences_url(),
        subscriber.get_unsubscribe_url(),
        f"/lettre/preferences/{subscriber.token}/supprimer/",
    ):
        assert '<meta name="robots" content="noindex">' in page(client.get(url)), url
    assert "noindex" not in page(client.get(URL))
