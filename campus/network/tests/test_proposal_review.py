import pytest
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation, Proposal, ProposalKind
from campus.network.services import accept_proposal
from campus.network.tests.factories import OrganisationFactory, ProposalFactory
from campus.places.models import street_address
from campus.places.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

NEW_ACTOR = {
    "name": "Sellerie du Morvan",
    "organisation_kind": "company",
    "commune": "21500 Montbard",
    "description": "Selles sur mesure.",
    "submitter_name": "Claude Martin",
    "submitter_email": "claude@exemple.fr",
}


@pytest.fixture
def team_user():
    return UserFactory(campus_team=True, email="equipe@campus.fr")


@pytest.fixture
def team_client(client, team_user):
    client.force_login(team_user)
    return client


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("12 rue Carnot, 21500 Montbard", "12 rue Carnot"),
        ("12 rue Carnot 21500 MONTBARD CEDEX", "12 rue Carnot"),
        ("12 rue Carnot, Montbard", "12 rue Carnot"),
        ("12 rue Carnot\n21500", "12 rue Carnot"),
        ("12 rue de Montbard", "12 rue de Montbard"),
        ("12 rue Carnot, 75001 Paris", "12 rue Carnot, 75001 Paris"),
        ("Montbard", "Montbard"),
        ("", ""),
    ],
)
def test_street_address_cuts_the_commune_shown_after_it(address, expected):
    """The end of an address that repeats the chosen commune or its postal code is cut."""
    commune = CommuneFactory.build(name="Montbard", postal_codes="21500")
    assert street_address(address, commune) == expected


def test_organisation_page_shows_the_commune_once(client):
    """An address typed with its commune shows the commune once on the organisation page."""
    organisation = OrganisationFactory(
        address="12 rue Carnot, 21500 Montbard", postal_code="21500"
    )
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "<dd>12 rue Carnot<br>21500 Montbard</dd>" in content


def test_proposal_keeps_the_street_and_a_checked_siret(client):
    """A proposal's SIRET is checked and stored without spaces; its address loses the commune."""
    CommuneFactory()
    response = client.post(
        reverse("network:propose_new_actor"),
        {
            **NEW_ACTOR,
            "siret": "732 829 320 00074",
            "address": "3 rue Carnot, 21500 Montbard",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.siret, proposal.address) == ("73282932000074", "3 rue Carnot")


def test_proposal_with_a_wrong_siret_is_refused(client):
    """A SIRET with a wrong check digit is refused with the organisation form's message."""
    CommuneFactory()
    response = client.post(
        reverse("network:propose_new_actor"), {**NEW_ACTOR, "siret": "73282932000075"}
    )
    assert response.status_code == 400
    assert "sa clé de contrôle est fausse" in response.content.decode()
    assert not Proposal.objects.exists()


def test_proposer_is_warned_of_a_look_alike_and_may_still_send(client, team_user):
    """A name like a published organisation's is shown to the proposer, who may confirm."""
    CommuneFactory()
    existing = OrganisationFactory(name="Sellerie du Morvan SARL")
    OrganisationFactory(name="Sellerie du Morvan (ancienne)", unpublished=True)
    url = reverse("network:propose_new_actor")

    warned = client.post(url, NEW_ACTOR)

    assert warned.status_code == 200
    content = warned.content.decode()
    assert "Cet acteur est peut-être déjà dans l'annuaire" in content
    assert existing.get_absolute_url() in content
    assert "ancienne" not in content
    assert not Proposal.objects.exists()

    sent = client.post(url, {**NEW_ACTOR, "confirm_new": "on"})

    assert sent.status_code == 302
    proposal = Proposal.objects.get()
    # The team also sees the unpublished look-alike.
    assert {o.name for o in proposal.resembles.all()} == {
        "Sellerie du Morvan SARL",
        "Sellerie du Morvan (ancienne)",
    }
    client.force_login(team_user)
    queue = client.get(reverse("network:proposal_queue")).content.decode()
    assert "Doublon possible" in queue
    assert "Sellerie du Morvan SARL" in queue
    detail = client.get(reverse("network:proposal_detail", args=[proposal.pk]))
    assert "(non publiée)" in detail.content.decode()


def test_a_known_siret_is_a_look_alike_whatever_the_name(client):
    """The SIRET of an organisation of the directory warns the proposer even under another name."""
    CommuneFactory()
    OrganisationFactory(name="Atelier Dupont", siret="73282932000074")
    response = client.post(
        reverse("network:propose_new_actor"),
        {**NEW_ACTOR, "siret": "73282932000074"},
    )
    assert response.status_code == 200
    assert "Atelier Dupont" in response.content.decode()


def test_different_names_are_not_look_alikes():
    """Organisations that merely share a word are not flagged."""
    OrganisationFactory(name="Atelier du Cuir")
    OrganisationFactory(name="Maroquinerie de Bourgogne")
    assert not Organisation.objects.resembling(name="Atelier du Bois").exists()
    assert Organisation.objects.resembling(name="Atelier du cuir ").exists()
    assert Organisation.objects.resembling(name="Atelier du Cuirr").exists()


def test_team_corrects_a_proposal_before_accepting_it(team_client, team_user):
    """The team's correction is saved, recorded with its author, and used on acceptance."""
    CommuneFactory()
    proposal = ProposalFactory(name="Selerie du morvan", address="")
    url = reverse("network:correct_proposal", args=[proposal.pk])

    response = team_client.post(
        url,
        {
            "name": "Sellerie du Morvan",
            "organisation_kind": "company",
            "siret": "732 829 320 00074",
            "commune": "21500 Montbard",
            "address": "3 rue Carnot, 21500 Montbard",
            "description": "Selles sur mesure.",
        },
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.name, proposal.siret, proposal.address) == (
        "Sellerie du Morvan",
        "73282932000074",
        "3 rue Carnot",
    )
    record = proposal.history.latest()
    assert record.history_user == team_user
    assert record.history_change_reason.startswith("Corrigée par l'équipe : ")
    assert "nom de l'acteur" in record.history_change_reason
    assert proposal.history.earliest().name == "Selerie du morvan"
    detail = team_client.get(reverse("network:proposal_detail", args=[proposal.pk]))
    assert "Corrigée par l&#x27;équipe" in detail.content.decode()

    organisation = accept_proposal(proposal, acting_user=team_user)
    assert (organisation.name, organisation.siret, organisation.address) == (
        "Sellerie du Morvan",
        "73282932000074",
        "3 rue Carnot",
    )


def test_team_correction_is_checked_like_a_proposal(team_client):
    """A wrong SIRET in the team's correction is refused and nothing changes."""
    proposal = ProposalFactory()
    response = team_client.post(
        reverse("network:correct_proposal", args=[proposal.pk]),
        {"name": "Autre nom", "organisation_kind": "company", "siret": "123"},
    )
    assert response.status_code == 400
    assert "14 chiffres" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.name == "Sellerie du Morvan"


def test_only_the_team_corrects_pending_proposals(client, team_client):
    """A partner cannot correct a proposal, and a decided one is no longer correctable."""
    proposal = ProposalFactory()
    url = reverse("network:correct_proposal", args=[proposal.pk])
    partner = UserFactory()
    other = client.__class__()
    other.force_login(partner)
    assert other.post(url, {"name": "Piraté"}).status_code in (403, 404)
    proposal.status = "refused"
    proposal.save()
    assert team_client.post(url, {"name": "Trop tard"}).status_code == 404


def test_correction_keeps_the_organisation_kind(team_client):
    """A correction of an existing organisation offers no type or SIRET to change."""
    organisation = OrganisationFactory()
    proposal = ProposalFactory(
        kind=ProposalKind.CORRECTION, organisation=organisation, name="Nouveau nom"
    )
    content = team_client.get(
        reverse("network:proposal_detail", args=[proposal.pk])
    ).content.decode()
    assert 'name="organisation_kind"' not in content
    assert "Corriger avant de décider" in content
