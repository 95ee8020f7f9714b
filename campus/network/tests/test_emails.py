"""The e-mails of the network, rendered from their templates by `campus.mail`."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from campus.accounts.models import User
from campus.accounts.tests.factories import UserFactory
from campus.mail import render_email, send_templated_email
from campus.network.models import Invitation, MemberRole, Proposal
from campus.network.services import invite_member, submit_proposal
from campus.network.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def test_a_line_break_in_a_name_stays_out_of_the_subject(
    run_tasks, django_capture_on_commit_callbacks
):
    """A name with line breaks gives a one-line subject: the e-mail leaves, unharmed."""
    UserFactory(campus_team=True)
    proposal = ProposalFactory.build(
        name="Sellerie\r\nBcc: tous@exemple.fr\n", commune=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_proposal(proposal)
    run_tasks()
    assert [message.subject for message in mail.outbox] == [
        "Nouvelle proposition à modérer : Nouvel acteur : Sellerie Bcc: tous@exemple.fr"
    ]


def test_email_text_is_not_html_escaped(settings):
    """Names keep their « & », « < » and apostrophes, and links the site's address."""
    settings.CAMPUS_SITE_URL = "https://campus.exemple.fr"
    organisation = OrganisationFactory(name="Atelier L'Éclat & <Fils>")
    inviter = UserFactory(full_name="Camille Dupont")
    invitation = invite_member(
        organisation,
        email="nouvelle@exemple.fr",
        role=MemberRole.VIEWER,
        acting_user=inviter,
    )
    subject, body = render_email("network/email/invitation", {"invitation": invitation})
    assert subject == (
        "Invitation à rejoindre Atelier L'Éclat & <Fils> sur le site du campus"
    )
    assert body == (
        "Bonjour,\n\nCamille Dupont vous invite à gérer la fiche de "
        "« Atelier L'Éclat & <Fils> » en tant que lecteur.\n\n"
        "Pour accepter, ouvrez ce lien (valable 14 jours) :\n"
        f"https://campus.exemple.fr/invitation/{invitation.token}/\n"
    )


def test_no_email_without_recipients(django_capture_on_commit_callbacks):
    """With no campus team to tell, a proposal queues no e-mail."""
    with django_capture_on_commit_callbacks() as callbacks:
        submit_proposal(ProposalFactory.build(commune=None))
    assert callbacks == []


def test_an_undone_action_sends_nothing(run_tasks, django_capture_on_commit_callbacks):
    """An e-mail leaves only if the transaction that asked for it commits."""
    proposal = ProposalFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send_templated_email(
                "network/email/proposal_refused",
                {"proposal": proposal},
                ["claude@exemple.fr"],
            )
            transaction.set_rollback(True)
    run_tasks()
    assert mail.outbox == []


CRLF = "\r\nBcc: tous@exemple.fr\r\n"
PROPOSAL = {
    "name": "Sellerie du Morvan",
    "organisation_kind": "company",
    "address": "2 rue des Tanneurs",
    "description": "Selles sur mesure.",
    "message": "",
    "submitter_name": "Claude Martin",
    "submitter_email": "claude@exemple.fr",
}


def _assert_sent_unharmed(expected_recipients):
    assert [message.to for message in mail.outbox] == expected_recipients
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.bcc == [] and "Bcc" not in message.extra_headers
        assert message.message()["Bcc"] is None


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ("new_actor", "name"),
        ("new_actor", "address"),
        ("new_actor", "description"),
        ("new_actor", "message"),
        ("new_actor", "submitter_name"),
        ("correction", "name"),
        ("correction", "message"),
        ("correction", "submitter_name"),
    ],
)
def test_a_line_break_in_a_proposal_field_never_drops_an_email(
    client, run_tasks, django_capture_on_commit_callbacks, form, field
):
    """A CR/LF typed in any proposal field lets the team's and the author's e-mails leave."""
    UserFactory(campus_team=True, email="equipe@campus.fr")
    if form == "new_actor":
        url = reverse("network:propose_new_actor")
    else:
        url = reverse("network:propose_correction", args=[OrganisationFactory().slug])
    data = {**PROPOSAL, field: f"Avant{CRLF}après"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    run_tasks()
    _assert_sent_unharmed([["equipe@campus.fr"]])
    client.force_login(User.objects.get(email="equipe@campus.fr"))
    proposal = Proposal.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:accept_proposal", args=[proposal.pk]))
    run_tasks()
    _assert_sent_unharmed([["equipe@campus.fr"], ["claude@exemple.fr"]])


def test_a_line_break_in_an_invitation_never_drops_its_email(
    client, run_tasks, django_capture_on_commit_callbacks
):
    """An organisation name and an inviter's name with CR/LF still let the invitation leave."""
    membership = MembershipFactory(role=MemberRole.EDITOR)
    organisation = membership.organisation
    client.force_login(membership.user)
    edit = client.post(
        reverse("network:organisation_edit", args=[organisation.pk]),
        {"name": f"Atelier{CRLF}Sellier", "kind": organisation.kind},
    )
    assert edit.status_code == 302
    membership.user.full_name = f"Camille{CRLF}Dupont"
    membership.user.save()
    url = reverse("network:invite", args=[organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "nina@exemple.fr", "role": "viewer"})
    assert response.status_code == 302
    run_tasks()
    _assert_sent_unharmed([["nina@exemple.fr"]])
    assert "Atelier" in mail.outbox[0].subject


def test_a_line_break_in_an_invited_address_is_refused(client):
    """An invited address carrying a CR/LF is refused before any e-mail is queued."""
    membership = MembershipFactory(role=MemberRole.EDITOR)
    client.force_login(membership.user)
    response = client.post(
        reverse("network:invite", args=[membership.organisation.pk]),
        {"email": f"nina@exemple.fr{CRLF}", "role": "viewer"},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_line_break_in_the_author_address_is_refused(client):
    """A proposal whose author address carries a CR/LF is refused; nothing is queued."""
    data = {**PROPOSAL, "submitter_email": f"claude@exemple.fr{CRLF}"}
    response = client.post(reverse("network:propose_new_actor"), data)
    assert response.status_code == 400
    assert not Proposal.objects.exists()
