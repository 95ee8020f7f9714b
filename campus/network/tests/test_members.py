from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campus.accounts.models import User
from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.models import Invitation, MemberRole, Membership
from campus.network.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return MembershipFactory(role=MemberRole.EDITOR)


def test_editor_invites_by_email(
    client, editor, run_tasks, django_capture_on_commit_callbacks
):
    """An editor's invitation is stored and its link e-mailed through the task queue."""
    client.force_login(editor.user)
    url = reverse("network:invite", args=[editor.organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Nouvelle@Exemple.fr", "role": "editor"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@exemple.fr"
    run_tasks()
    assert mail.outbox[0].to == ["nouvelle@exemple.fr"]
    assert invitation.get_absolute_url() in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "pas-un-email", "role": "viewer"}, "adresse de courriel valide"),
        ({"email": "x@exemple.fr", "role": "admin"}, "Sélectionnez un choix valide"),
        ({"email": "", "role": "viewer"}, "obligatoire"),
    ],
)
def test_bad_invitation_is_refused(client, editor, data, message):
    """A wrong invitation gets a French message and nothing is stored."""
    client.force_login(editor.user)
    response = client.post(
        reverse("network:invite", args=[editor.organisation.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(client, editor):
    """A person already member cannot be invited again."""
    client.force_login(editor.user)
    response = client.post(
        reverse("network:invite", args=[editor.organisation.pk]),
        {"email": editor.user.email.upper(), "role": "viewer"},
    )
    assert response.status_code == 400
    assert "déjà membre" in response.content.decode()


def test_new_person_accepts_by_creating_an_account(client):
    """An invited person without account sets a password and becomes a member."""
    invitation = InvitationFactory(email="nouvelle@exemple.fr", role=MemberRole.EDITOR)
    url = invitation.get_absolute_url()
    assert client.get(url).status_code == 200
    weak = client.post(
        url, {"full_name": "Nina", "password1": "123", "password2": "123"}
    )
    assert weak.status_code == 400 and not User.objects.filter(
        email="nouvelle@exemple.fr"
    )
    response = client.post(
        url,
        {
            "full_name": "Nina Ferrand",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@exemple.fr")
    assert membership.role == MemberRole.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(url).status_code == 410


def test_existing_account_must_log_in_with_the_invited_address(client):
    """An existing account logs in first; another account cannot use the invitation."""
    invitee = UserFactory(email="invitee@exemple.fr")
    invitation = InvitationFactory(email="invitee@exemple.fr")
    url = invitation.get_absolute_url()
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(UserFactory())
    assert client.post(url).status_code == 403
    assert not Membership.objects.exists()
    client.force_login(invitee)
    assert client.post(url).status_code == 302
    assert Membership.objects.get().user == invitee


def test_expired_or_unknown_invitation(client):
    """An expired invitation answers 410 and an unknown token 404."""
    expired = InvitationFactory(expires_at=timezone.now() - timedelta(days=1))
    assert client.get(expired.get_absolute_url()).status_code == 410
    assert (
        client.get(reverse("network:accept_invitation", args=["nope"])).status_code
        == 404
    )


def test_last_editor_cannot_leave_or_be_demoted(client, editor):
    """An organisation is never left without an editor."""
    client.force_login(editor.user)
    pk = editor.organisation.pk
    remove = reverse("network:remove_member", args=[pk, editor.pk])
    demote = reverse("network:change_role", args=[pk, editor.pk])
    assert client.post(remove).status_code == 409
    assert client.post(demote, {"role": "viewer"}).status_code == 409
    editor.refresh_from_db()
    assert editor.role == MemberRole.EDITOR
    second = MembershipFactory(organisation=editor.organisation, role=MemberRole.EDITOR)
    assert client.post(demote, {"role": "viewer"}).status_code == 302
    editor.refresh_from_db()
    assert editor.role == MemberRole.VIEWER
    assert Membership.objects.filter(pk=second.pk, role=MemberRole.EDITOR).exists()


def test_membership_of_another_organisation_cannot_be_targeted(client, editor):
    """A tampered membership id from another organisation answers 404."""
    other = MembershipFactory(role=MemberRole.EDITOR)
    MembershipFactory(organisation=other.organisation, role=MemberRole.EDITOR)
    client.force_login(editor.user)
    url = reverse("network:remove_member", args=[editor.organisation.pk, other.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
