import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campus.accounts.models import User
from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.models import MemberRole, Membership, Proposal, ProposalStatus
from campus.network.tests.factories import MembershipFactory, ProposalFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def test_login_by_email_is_case_insensitive(client):
    """A partner logs in with their e-mail, whatever its case, and lands in their space."""
    UserFactory(email="camille@atelier.fr")
    response = client.post(
        LOGIN, {"username": "Camille@Atelier.FR", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("network:partner_space")


def test_wrong_password_is_explained_in_french(client):
    """A failed login says so in French and keeps the person on the form."""
    UserFactory(email="camille@atelier.fr")
    response = client.post(
        LOGIN, {"username": "camille@atelier.fr", "password": "faux"}
    )
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_repeated_failures_are_throttled(client, settings):
    """After five failures the account is locked for this address, even with the right password."""
    UserFactory(email="camille@atelier.fr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "camille@atelier.fr", "password": "faux"})
    response = client.post(
        LOGIN, {"username": "camille@atelier.fr", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()


def test_failures_on_one_account_from_many_addresses_lock_it(client, settings):
    """Five failures on one account, each from another address, lock it everywhere."""
    UserFactory(email="camille@atelier.fr")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "camille@atelier.fr", "password": "faux"},
            REMOTE_ADDR=f"203.0.113.{number}",
        )
    response = client.post(
        LOGIN,
        {"username": "camille@atelier.fr", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()


def test_failures_on_many_accounts_from_one_address_lock_the_address(client, settings):
    """30 failures on different accounts from one address lock it; other addresses log in."""
    UserFactory(email="camille@atelier.fr")
    for number in range(settings.CAMPUS_LOGIN_FAILURES_PER_ADDRESS):
        response = client.post(
            LOGIN, {"username": f"eleve{number}@college.fr", "password": "faux"}
        )
        assert response.status_code == 200
    response = client.post(
        LOGIN, {"username": "camille@atelier.fr", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(
        LOGIN,
        {"username": "camille@atelier.fr", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302


def test_behind_a_proxy_logins_are_counted_per_visitor(client, settings):
    """With the proxy's header, one visitor's failures do not lock the others out."""
    settings.CAMPUS_CLIENT_IP_HEADER = "X-Real-IP"
    UserFactory(email="camille@atelier.fr")
    for number in range(settings.CAMPUS_LOGIN_FAILURES_PER_ADDRESS):
        client.post(
            LOGIN,
            {"username": f"eleve{number}@college.fr", "password": "faux"},
            HTTP_X_REAL_IP="192.0.2.1",
        )
    data = {"username": "camille@atelier.fr", "password": TEST_PASSWORD}
    assert client.post(LOGIN, data, HTTP_X_REAL_IP="192.0.2.1").status_code == 429
    assert client.post(LOGIN, data, HTTP_X_REAL_IP="192.0.2.2").status_code == 302


def test_a_few_failures_from_a_shared_address_lock_nobody_else(client):
    """A pupil's five failures on their account leave a teacher free to log in."""
    UserFactory(email="camille@atelier.fr")
    for _ in range(5):
        client.post(LOGIN, {"username": "eleve@college.fr", "password": "faux"})
    response = client.post(
        LOGIN, {"username": "camille@atelier.fr", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


RESET = reverse("accounts:password_reset")


@pytest.mark.django_db(transaction=True)
def test_password_reset_email_leaves_through_the_task_queue(client, run_tasks):
    """The reset link is e-mailed by the worker, not during the request."""
    UserFactory(email="camille@atelier.fr")
    response = client.post(RESET, {"email": "camille@atelier.fr"})
    assert response.status_code == 302
    assert mail.outbox == []
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["camille@atelier.fr"]
    assert message.subject == "Nouveau mot de passe pour le site du campus"
    assert "/mot-de-passe/nouveau/" in message.body


def test_password_reset_honeypot_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    """A robot filling the hidden field is sent to the usual page and nothing is queued."""
    UserFactory(email="camille@atelier.fr")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            RESET,
            {"email": "camille@atelier.fr", "website_confirmation": "x"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert callbacks == []
    assert mail.outbox == []


def test_26th_password_reset_from_one_address_is_refused(
    client, django_capture_on_commit_callbacks
):
    """One address asks for 25 resets an hour; the 26th gets 429 and sends nothing."""
    UserFactory(email="camille@atelier.fr")
    for number in range(25):
        response = client.post(RESET, {"email": f"inconnu{number}@exemple.fr"})
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(RESET, {"email": "camille@atelier.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert callbacks == []


def test_password_resets_for_one_account_stop_at_three_an_hour(
    client, django_capture_on_commit_callbacks
):
    """Resets for one e-mail from different addresses stop at the 4th."""
    UserFactory(email="camille@atelier.fr")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(3):
            response = client.post(
                RESET,
                {"email": "camille@atelier.fr"},
                REMOTE_ADDR=f"203.0.113.{number}",
            )
            assert response.status_code == 302
    assert len(callbacks) == 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            RESET, {"email": "Camille@Atelier.fr"}, REMOTE_ADDR="198.51.100.7"
        )
    assert response.status_code == 429
    assert callbacks == []


def test_private_pages_ask_to_log_in(client):
    """Private pages redirect anonymous visitors to the login page."""
    for name in ["accounts:account", "accounts:export_data", "network:partner_space"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_logout_needs_post(client):
    """Logging out is a POST; a GET does not log out."""
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_personal_data_export(client):
    """A person downloads their data as JSON, memberships included."""
    membership = MembershipFactory(role=MemberRole.VIEWER)
    client.force_login(membership.user)
    response = client.get(reverse("accounts:export_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["compte"]["email"] == membership.user.email
    assert data["organisations"][0]["organisation"] == membership.organisation.name


def test_account_deletion_erases_the_person(client):
    """A confirmed deletion removes the account and its memberships."""
    membership = MembershipFactory(role=MemberRole.VIEWER)
    client.force_login(membership.user)
    url = reverse("accounts:delete_account")
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not User.objects.filter(pk=membership.user.pk).exists()
    assert not Membership.objects.exists()


def test_last_editor_cannot_delete_their_account(client):
    """The only editor of an organisation is asked to name another before leaving."""
    membership = MembershipFactory(role=MemberRole.EDITOR)
    client.force_login(membership.user)
    response = client.post(reverse("accounts:delete_account"), {"confirm": "on"})
    assert response.status_code == 409
    assert "seul éditeur" in response.content.decode()
    assert User.objects.filter(pk=membership.user.pk).exists()


def test_an_editor_with_a_co_editor_deletes_their_account(client):
    """An editor whose organisation keeps another editor may delete their account."""
    membership = MembershipFactory(role=MemberRole.EDITOR)
    co_editor = MembershipFactory(
        organisation=membership.organisation, role=MemberRole.EDITOR
    )
    client.force_login(membership.user)
    response = client.post(reverse("accounts:delete_account"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=membership.user.pk).exists()
    assert list(Membership.objects.all()) == [co_editor]


def test_purge_erases_authors_of_old_decided_proposals():
    """Authors of proposals decided long ago are erased; pending ones are kept."""
    old = ProposalFactory(
        status=ProposalStatus.REFUSED, decided_at=timezone.now() - timedelta(days=120)
    )
    recent = ProposalFactory(
        status=ProposalStatus.ACCEPTED, decided_at=timezone.now() - timedelta(days=5)
    )
    pending = ProposalFactory()
    call_command("purge_personal_data", verbosity=0)
    emails = dict(Proposal.objects.values_list("pk", "submitter_email"))
    assert emails[old.pk] == ""
    assert emails[recent.pk] == recent.submitter_email
    assert emails[pending.pk] == pending.submitter_email


def test_campus_team_is_the_active_staff():
    """The campus team leaves out inactive staff and users who are not staff."""
    member = UserFactory(campus_team=True)
    UserFactory(campus_team=True, is_active=False)
    UserFactory()
    assert list(User.objects.campus_team()) == [member]


def test_an_erased_account_leaves_no_name_in_the_history(client):
    """Deleting one's account records the memberships' end without naming the account."""
    membership = MembershipFactory(role=MemberRole.VIEWER)
    client.force_login(membership.user)
    client.post(reverse("accounts:delete_account"), {"confirm": "on"})
    removal = Membership.history.filter(id=membership.pk).first()
    assert (removal.history_type, removal.history_user) == ("-", None)
