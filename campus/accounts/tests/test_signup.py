"""Accounts created by anyone at /compte/creer/, active once the e-mail is confirmed."""

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from campus.accounts import services
from campus.accounts.models import User
from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
SENT = reverse("accounts:signup_sent")
PASSWORD = "Un-sac-de-selle-2026"
NEXT = "/talents/appels/fonds-innovation/"


def _form(**overrides):
    data = {
        "email": "lea.martin@exemple.fr",
        "full_name": "Léa Martin",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
        "next": NEXT,
    }
    data.update(overrides)
    return data


def _sign_up(client, django_capture_on_commit_callbacks, run_tasks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, _form(**overrides))
    run_tasks()
    return response


def _link(message) -> str:
    return re.search(r"https?://\S+(/compte/confirmer/\S+/)", message.body).group(1)


def test_sign_up_confirm_and_land_on_next(
    client, django_capture_on_commit_callbacks, run_tasks
):
    """A visitor signs up, follows the e-mailed link, is logged in and sent to next."""
    response = _sign_up(client, django_capture_on_commit_callbacks, run_tasks)
    assert response.status_code == 302
    assert response["Location"] == SENT
    user = User.objects.get(email="lea.martin@exemple.fr")
    assert (user.is_active, user.awaiting_confirmation) == (False, True)
    assert user.full_name == "Léa Martin"
    assert not user.is_staff and not user.memberships.exists()
    [message] = mail.outbox
    assert message.to == ["lea.martin@exemple.fr"]
    link = _link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "J'active mon compte" in page.content.decode()
    user.refresh_from_db()
    assert not user.is_active  # GET changes nothing (mail scanners)

    wrong = client.post(link, {"password": "Pas-le-bon-2026"})
    assert wrong.status_code == 400
    assert "pas le mot de passe choisi" in wrong.content.decode()
    assert not User.objects.get(pk=user.pk).is_active

    response = client.post(link, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == NEXT
    user.refresh_from_db()
    assert (user.is_active, user.awaiting_confirmation) == (True, False)
    assert client.get(reverse("accounts:account")).status_code == 200

    client.logout()
    again = client.post(link, {"password": PASSWORD})
    assert again.status_code == 400
    assert "a déjà servi" in again.content.decode()


def test_an_unconfirmed_account_cannot_log_in(client):
    """Before its link is followed, the account's password opens nothing."""
    services.sign_up(email="lea@exemple.fr", full_name="Léa", password=PASSWORD)
    response = client.post(
        reverse("accounts:login"), {"username": "lea@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "hostile",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver/compte/",
        "/" + "a" * 3000,
    ],
)
def test_a_hostile_next_leads_home_not_away(
    client, django_capture_on_commit_callbacks, run_tasks, hostile
):
    """A next pointing off the site is dropped: confirming leads to the account page."""
    _sign_up(client, django_capture_on_commit_callbacks, run_tasks, next=hostile)
    response = client.post(_link(mail.outbox[0]), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")


def test_the_signup_page_does_not_echo_a_hostile_next(client):
    """The form carries only a local next."""
    page = client.get(SIGNUP, {"next": "//evil.example"}).content.decode()
    assert '<input type="hidden" name="next" value="">' in page
    page = client.get(SIGNUP, {"next": NEXT}).content.decode()
    assert f'value="{NEXT}"' in page


def test_a_used_address_gets_the_same_answer_and_a_different_mail(
    client, django_capture_on_commit_callbacks, run_tasks
):
    """Signing up with an address that has an account reveals nothing on the page;
    the mailbox's owner is told they have an account, which stays as it was."""
    existing = UserFactory(email="lea.martin@exemple.fr", full_name="Léa M.")
    password_before = existing.password
    response = _sign_up(
        client,
        django_capture_on_commit_callbacks,
        run_tasks,
        email="Lea.Martin@Exemple.FR",
    )
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert User.objects.filter(email__iexact="lea.martin@exemple.fr").count() == 1
    existing.refresh_from_db()
    assert (existing.password, existing.full_name) == (password_before, "Léa M.")
    assert existing.is_active
    [message] = mail.outbox
    assert "déjà un compte" in message.subject
    assert "/connexion/" in message.body and "/mot-de-passe/oubli/" in message.body
    assert "/compte/confirmer/" not in message.body


def test_a_second_sign_up_replaces_the_first_link(
    client, django_capture_on_commit_callbacks, run_tasks
):
    """Only the latest link of an unconfirmed account works, with its password."""
    intruder = "Mot-de-passe-intrus-9"
    _sign_up(
        client,
        django_capture_on_commit_callbacks,
        run_tasks,
        password1=intruder,
        password2=intruder,
    )
    _sign_up(client, django_capture_on_commit_callbacks, run_tasks)
    first, second = (_link(message) for message in mail.outbox)
    assert client.post(first, {"password": intruder}).status_code == 400
    assert client.post(first, {"password": PASSWORD}).status_code == 400
    assert not User.objects.get(email="lea.martin@exemple.fr").is_active
    assert client.post(second, {"password": PASSWORD}).status_code == 302
    user = User.objects.get(email="lea.martin@exemple.fr")
    assert user.is_active and user.check_password(PASSWORD)


def test_someone_signing_up_after_the_owner_cannot_have_them_activate_it(
    client, django_capture_on_commit_callbacks, run_tasks
):
    """An intruder re-signing up with the owner's address sets their own password;
    the owner, following the newest link, is asked for their password, which fails:
    the account never opens with a password the intruder knows."""
    _sign_up(client, django_capture_on_commit_callbacks, run_tasks)
    intruder = "Mot-de-passe-intrus-9"
    _sign_up(
        client,
        django_capture_on_commit_callbacks,
        run_tasks,
        password1=intruder,
        password2=intruder,
    )
    latest = _link(mail.outbox[-1])
    response = client.post(latest, {"password": PASSWORD})
    assert response.status_code == 400
    assert not User.objects.get().is_active
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "azerty", "password2": "azerty"}, "trop court"),
        ({"password1": "12345678901", "password2": "12345678901"}, "trop courant"),
        ({"password2": "Autre-chose-2026"}, "ne sont pas identiques"),
        ({"email": "pas-une-adresse"}, "adresse de courriel valide"),
        ({"email": "a" * 250 + "@exemple.fr"}, "254"),
        ({"full_name": "   "}, "obligatoire"),
        ({"full_name": "x" * 151}, "150"),
        ({"consent": ""}, "Cochez la case"),
        ({"password1": "", "password2": ""}, "obligatoire"),
    ],
)
def test_bad_input_is_refused_in_french(client, overrides, message):
    """Weak, mismatched, missing or oversized values: 400, a French message, no account."""
    response = client.post(SIGNUP, _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox


def test_a_password_like_the_name_is_refused(client):
    """Django's validators compare the password with the e-mail and name typed."""
    response = client.post(
        SIGNUP, _form(password1="lea.martin2", password2="lea.martin2")
    )
    assert response.status_code == 400
    assert "trop semblable" in response.content.decode()


def test_hostile_text_is_shown_escaped(client):
    """A name with markup comes back as text."""
    response = client.post(
        SIGNUP, _form(full_name="<script>alert(1)</script>", consent="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_the_honeypot_stores_and_sends_nothing(
    client, django_capture_on_commit_callbacks, run_tasks
):
    """A robot filling the hidden field gets the usual answer, and nothing happens."""
    response = _sign_up(
        client,
        django_capture_on_commit_callbacks,
        run_tasks,
        website_confirmation="http://spam.example",
    )
    assert response["Location"] == SENT
    assert not User.objects.exists()
    assert not mail.outbox


def test_sign_ups_are_rate_limited_per_recipient(client, settings):
    """Past the limit for one address, a 429 in French, and no new mail."""
    settings.CAMPUS_PUBLIC_FORM_RATE_PER_RECIPIENT = "2/h"
    for _ in range(2):
        assert client.post(SIGNUP, _form()).status_code == 302
    response = client.post(SIGNUP, _form())
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_sign_ups_are_rate_limited_per_client(client, settings):
    """Past the limit from one client, whatever the addresses, a 429 and no account."""
    settings.CAMPUS_PUBLIC_FORM_RATE_PER_ADDRESS = "2/h"
    for number in range(2):
        client.post(SIGNUP, _form(email=f"personne{number}@exemple.fr"))
    response = client.post(SIGNUP, _form(email="autre@exemple.fr"))
    assert response.status_code == 429
    assert not User.objects.filter(email="autre@exemple.fr").exists()


def test_an_expired_link_is_refused(
    client, django_capture_on_commit_callbacks, run_tasks, monkeypatch
):
    """After three days the link is a 400 with a French message, and nothing changes."""
    _sign_up(client, django_capture_on_commit_callbacks, run_tasks)
    link = _link(mail.outbox[0])
    later = time.time() + timedelta(days=3, minutes=1).total_seconds()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    for response in (client.get(link), client.post(link, {"password": PASSWORD})):
        assert response.status_code == 400
        assert "a expiré" in response.content.decode()
    assert not User.objects.get().is_active


@pytest.mark.parametrize("token", ["abc", "x" * 300, "..", "%3Cscript%3E"])
def test_a_tampered_link_is_refused(client, token):
    """A forged token is a 400 with a French message."""
    UserFactory(is_active=False, awaiting_confirmation=True)
    response = client.post(
        reverse("accounts:signup_confirm", args=[token]), {"password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Lien de confirmation non valable" in response.content.decode()


def test_a_link_of_another_account_kind_is_refused(client):
    """A well-signed link for an account the team deactivated reactivates nothing."""
    user = UserFactory(is_active=False)
    url = reverse("accounts:signup_confirm", args=[services.signup_token(user)])
    assert client.post(url, {"password": TEST_PASSWORD}).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_unconfirmed_accounts_are_purged_after_seven_days(client):
    """The daily purge erases accounts never confirmed, not deactivated ones."""
    now = timezone.now()
    old = UserFactory(
        is_active=False, awaiting_confirmation=True, date_joined=now - timedelta(days=8)
    )
    recent = UserFactory(
        is_active=False, awaiting_confirmation=True, date_joined=now - timedelta(days=6)
    )
    deactivated = UserFactory(is_active=False, date_joined=now - timedelta(days=30))
    counts = services.purge_personal_data(now=now)
    assert counts["unconfirmed_accounts"] == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, deactivated.pk]).count() == 2


def test_the_login_page_offers_sign_up_keeping_next(client):
    """« Pas encore de compte ? » links to the sign-up with the same local next."""
    page = client.get(reverse("accounts:login"), {"next": NEXT}).content.decode()
    assert "Pas encore de compte ?" in page
    assert f'href="{SIGNUP}?next=%2Ftalents%2Fappels%2Ffonds-innovation%2F"' in page
    page = client.get(reverse("accounts:login"), {"next": "//evil.example"})
    assert "evil.example" not in page.content.decode().split("Pas encore")[1]


def test_a_signed_in_person_is_sent_on(client):
    """Someone logged in has an account: the sign-up page sends them to next."""
    client.force_login(UserFactory())
    response = client.get(SIGNUP, {"next": NEXT})
    assert response["Location"] == NEXT
    assert UserFactory(email="x@exemple.fr").check_password(TEST_PASSWORD)
