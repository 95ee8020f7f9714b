from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

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
    page = client.get(url).content.decode()
    assert f"rejoindre « {escape(invitation.organisation)} »" in page
    assert 'name="password1"' in page
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


def test_removing_a_member_revokes_their_pending_invitations(client, editor):
    """A removed editor's pending invitations no longer make anyone a member."""
    removed = MembershipFactory(organisation=editor.organisation)
    theirs = InvitationFactory(
        organisation=editor.organisation,
        role=MemberRole.EDITOR,
        invited_by=removed.user,
    )
    elsewhere = InvitationFactory(invited_by=removed.user)
    kept = InvitationFactory(organisation=editor.organisation, invited_by=editor.user)
    client.force_login(editor.user)
    url = reverse("network:remove_member", args=[editor.organisation.pk, removed.pk])
    assert client.post(url).status_code == 302
    assert set(Invitation.objects.all()) == {elsewhere, kept}
    client.logout()
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_demoting_an_editor_revokes_their_pending_invitations(client, editor):
    """An editor demoted to viewer can no longer bring people in through invitations."""
    demoted = MembershipFactory(organisation=editor.organisation)
    InvitationFactory(organisation=editor.organisation, invited_by=demoted.user)
    client.force_login(editor.user)
    url = reverse("network:change_role", args=[editor.organisation.pk, demoted.pk])
    assert client.post(url, {"role": "viewer"}).status_code == 302
    assert not Invitation.objects.exists()


def test_deleting_an_account_revokes_its_pending_invitations(client, editor):
    """The pending invitations of a deleted account are revoked with it."""
    leaving = MembershipFactory(organisation=editor.organisation)
    InvitationFactory(organisation=editor.organisation, invited_by=leaving.user)
    client.force_login(leaving.user)
    response = client.post(reverse("accounts:delete_account"), {"confirm": "on"})
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_editor_cancels_a_pending_invitation(client, editor):
    """An editor cancels any pending invitation of the organisation from the members page."""
    invitation = InvitationFactory(
        organisation=editor.organisation, invited_by=UserFactory()
    )
    client.force_login(editor.user)
    url = reverse(
        "network:cancel_invitation", args=[editor.organisation.pk, invitation.pk]
    )
    page = client.get(reverse("network:members", args=[editor.organisation.pk]))
    assert url in page.content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "est annulée" in response.content.decode()
    assert not Invitation.objects.exists()
    client.logout()
    assert client.get(invitation.get_absolute_url()).status_code == 404


def test_invitation_cancellation_is_scoped_to_editors_of_its_organisation(
    client, editor
):
    """A viewer, or an editor of another organisation, gets 404 and cannot cancel."""
    invitation = InvitationFactory(organisation=editor.organisation)
    viewer = MembershipFactory(organisation=editor.organisation, role=MemberRole.VIEWER)
    outsider = MembershipFactory()
    own = reverse(
        "network:cancel_invitation", args=[editor.organisation.pk, invitation.pk]
    )
    tampered = reverse(
        "network:cancel_invitation", args=[outsider.organisation.pk, invitation.pk]
    )
    client.force_login(viewer.user)
    assert client.post(own).status_code == 404
    client.force_login(outsider.user)
    assert client.post(own).status_code == 404
    assert client.post(tampered).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
