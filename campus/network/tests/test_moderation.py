import pytest
from django.core import mail
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation, Proposal, ProposalKind, ProposalStatus
from campus.network.tests.factories import OrganisationFactory, ProposalFactory
from campus.places.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client):
    client.force_login(UserFactory(campus_team=True, email="equipe@campus.fr"))
    return client


NEW_ACTOR = {
    "name": "Sellerie du Morvan",
    "organisation_kind": "company",
    "commune": "21500 Montbard",
    "website": "www.sellerie-morvan.fr",
    "description": "Selles sur mesure.",
    "submitter_name": "Claude Martin",
    "submitter_email": "claude@exemple.fr",
}


def test_visitor_proposes_a_new_actor_and_team_is_told(
    client, run_tasks, django_capture_on_commit_callbacks
):
    """An anonymous proposal waits in the queue, unpublished, and the team gets an e-mail."""
    CommuneFactory()
    UserFactory(campus_team=True, email="equipe@campus.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:propose_new_actor"), NEW_ACTOR)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.website == "https://www.sellerie-morvan.fr"
    assert not Organisation.objects.exists()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["equipe@campus.fr"]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "obligatoire"),
        ({"organisation_kind": "ovni"}, "Sélectionnez un choix valide"),
        ({"commune": "Atlantide"}, "Commune inconnue"),
        ({"submitter_email": "pas-un-email"}, "adresse de courriel valide"),
        ({"website": "ftp://x"}, "URL valide"),
        ({"description": "a" * 5001}, "5000 caractères"),
    ],
)
def test_bad_proposal_is_refused_and_nothing_saved(client, changes, message):
    """A wrong, missing or robotic proposal is refused in French with nothing saved."""
    CommuneFactory()
    response = client.post(
        reverse("network:propose_new_actor"), {**NEW_ACTOR, **changes}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_filled_honeypot_gets_thanks_and_nothing_is_saved(
    client, django_capture_on_commit_callbacks
):
    """A robot filling the hidden field is thanked like a person; nothing is kept or sent."""
    CommuneFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("network:propose_new_actor"),
            {**NEW_ACTOR, "website_confirmation": "http://spam.example"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("network:proposal_thanks")
    assert not Proposal.objects.exists()
    assert callbacks == []


def test_26th_proposal_from_one_address_is_refused(
    client, django_capture_on_commit_callbacks
):
    """New actors and corrections share 25 proposals an hour per address, then 429."""
    CommuneFactory()
    organisation = OrganisationFactory()
    correction = reverse("network:propose_correction", args=[organisation.slug])
    for number in range(25):
        url = correction if number % 2 else reverse("network:propose_new_actor")
        data = {**NEW_ACTOR, "submitter_email": f"auteur{number}@exemple.fr"}
        assert client.post(url, data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(correction, {**NEW_ACTOR, "message": "Encore."})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Proposal.objects.count() == 25
    assert callbacks == []


def test_one_author_address_gets_three_proposals_an_hour_from_anywhere(client):
    """Proposals signed with one e-mail from different addresses stop at the 4th."""
    CommuneFactory()
    url = reverse("network:propose_new_actor")
    for number in range(3):
        response = client.post(url, NEW_ACTOR, REMOTE_ADDR=f"203.0.113.{number}")
        assert response.status_code == 302
    response = client.post(url, NEW_ACTOR, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert Proposal.objects.count() == 3


def test_correction_needs_something_to_correct(client):
    """A correction with no field and no message is refused."""
    organisation = OrganisationFactory()
    url = reverse("network:propose_correction", args=[organisation.slug])
    data = {"submitter_name": "Claude", "submitter_email": "claude@exemple.fr"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "au moins une correction" in response.content.decode()
    assert client.post(url, {**data, "message": "Le site a changé."}).status_code == 302


def test_correction_of_unpublished_organisation_is_404(client):
    """Nobody can propose corrections to a listing that is not public."""
    organisation = OrganisationFactory(unpublished=True)
    url = reverse("network:propose_correction", args=[organisation.slug])
    assert client.get(url).status_code == 404


def test_accepting_a_new_actor_publishes_it_and_notifies(
    team_client, run_tasks, django_capture_on_commit_callbacks
):
    """Accepting a new actor creates a published listing and e-mails the author."""
    proposal = ProposalFactory(website="https://sellerie.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("network:accept_proposal", args=[proposal.pk])
        )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Sellerie du Morvan")
    assert organisation.is_published and organisation.commune.name == "Montbard"
    assert organisation.latitude is not None
    proposal.refresh_from_db()
    assert (proposal.status, proposal.organisation) == (
        ProposalStatus.ACCEPTED,
        organisation,
    )
    run_tasks()
    assert mail.outbox[-1].to == ["claude.martin@exemple.fr"]
    assert "acceptée" in mail.outbox[-1].subject


def test_accepting_a_correction_updates_only_the_given_fields(team_client):
    """A correction replaces the fields it names and leaves the others."""
    organisation = OrganisationFactory(
        name="Atelier Ancien", website="https://ancien.fr"
    )
    proposal = ProposalFactory(
        kind=ProposalKind.CORRECTION,
        organisation=organisation,
        name="",
        commune=None,
        website="https://nouveau.fr",
        organisation_kind="",
    )
    team_client.post(reverse("network:accept_proposal", args=[proposal.pk]))
    organisation.refresh_from_db()
    assert (organisation.name, organisation.website) == (
        "Atelier Ancien",
        "https://nouveau.fr",
    )


def test_refusal_needs_a_reason_and_is_sent(
    team_client, run_tasks, django_capture_on_commit_callbacks
):
    """A refusal without reason is refused; with one, the author is told why."""
    proposal = ProposalFactory()
    url = reverse("network:refuse_proposal", args=[proposal.pk])
    assert team_client.post(url, {"reason": "  "}).status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert team_client.post(url, {"reason": "Hors filière."}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.refusal_reason) == (
        ProposalStatus.REFUSED,
        "Hors filière.",
    )
    run_tasks()
    assert "Hors filière." in mail.outbox[-1].body


def test_a_decided_proposal_cannot_be_decided_again(team_client):
    """Accepting twice creates one organisation and answers 409 the second time."""
    proposal = ProposalFactory()
    url = reverse("network:accept_proposal", args=[proposal.pk])
    team_client.post(url)
    again = team_client.post(url)
    refused = team_client.post(
        reverse("network:refuse_proposal", args=[proposal.pk]), {"reason": "x"}
    )
    for response in again, refused:
        assert response.status_code == 409
        assert "Cette proposition a déjà été traitée." in response.content.decode()
    assert Organisation.objects.count() == 1


def test_queue_lists_pending_proposals(team_client):
    """The queue shows pending proposals by default, and tolerates a bad status."""
    ProposalFactory(name="Atelier En Attente")
    ProposalFactory(name="Atelier Refusé", status=ProposalStatus.REFUSED)
    page = team_client.get(reverse("network:proposal_queue")).content.decode()
    assert "Atelier En Attente" in page and "Atelier Refusé" not in page
    assert (
        team_client.get(
            reverse("network:proposal_queue"), {"statut": "zzz"}
        ).status_code
        == 200
    )
    assert (
        team_client.get(reverse("network:proposal_detail", args=[999])).status_code
        == 404
    )
