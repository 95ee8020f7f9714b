import json
from datetime import timedelta

import pytest
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
