import pytest
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole
from campus.network.services import (
    accept_proposal,
    change_member_role,
    refuse_proposal,
    remove_member,
)
from campus.network.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
)
from campus.outreach.services import assign_request, record_outcome
from campus.outreach.tests.factories import InterventionRequestFactory
from campus.profiles import action_log

pytestmark = pytest.mark.django_db
URL = reverse("profiles:action_log")


@pytest.fixture
def moderator():
    return UserFactory(campus_team=True, full_name="Dominique Moderatrice")


@pytest.fixture
def team_client(client, moderator):
    client.force_login(moderator)
    return client


def page_text(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_journal_is_for_the_campus_team_only(client):
    """A visitor is sent to log in; a partner gets a 404."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(MembershipFactory(role=MemberRole.EDITOR).user)
    assert client.get(URL).status_code == 404


def test_the_back_office_links_to_the_journal(team_client):
    """The back-office home leads to the journal."""
    response = team_client.get(reverse("profiles:back_office"))
    assert f'href="{URL}"' in response.content.decode()


def test_membership_changes_show_who_made_them(team_client, moderator):
    """A role change shows the old and new role; a removal, who removed whom."""
    editor = MembershipFactory(role=MemberRole.EDITOR)
    other = MembershipFactory(
        organisation=editor.organisation,
        role=MemberRole.EDITOR,
        user__full_name="Camille Artisane",
    )
    change_member_role(other, role=MemberRole.VIEWER, acting_user=moderator)
    remove_member(other, acting_user=moderator)
    text = page_text(team_client, "?type=membres")
    removal, change = text.index("Suppression"), text.index("Rôle : Éditeur → Lecteur")
    assert removal < change, "newest first"
    assert text.count("Dominique Moderatrice") == 2
    assert f"Camille Artisane — {editor.organisation}" in text


def test_request_steps_show_the_partner_and_the_outcome(team_client, moderator):
    """Entrusting a request names the partner; recording its outcome shows it."""
    request = InterventionRequestFactory(confirmed=True)
    organisation = OrganisationFactory(name="Sellerie du Morvan")
    assign_request(
        request,
        organisation=organisation,
        scheduled_for=None,
        team_notes="",
        acting_user=moderator,
    )
    record_outcome(
        request,
        held_on=timezone.localdate(),
        pupils_reached=20,
        artisans_involved=2,
        outcome="Très bon accueil.",
        acting_user=moderator,
    )
    text = page_text(team_client, "?type=demandes")
    assert "Partenaire chargé de l&#x27;intervention : — → Sellerie du Morvan" in text
    assert "Statut : Confiée à un partenaire → Réalisée" in text
    assert "Bilan : — → Très bon accueil." in text


def test_moderation_decisions_show_the_outcome_and_reason(team_client, moderator):
    """Accepted and refused proposals show who decided and the refusal's reason."""
    accept_proposal(ProposalFactory(name="Tannerie d'Annonay"), acting_user=moderator)
    refuse_proposal(ProposalFactory(), reason="Hors filière.", acting_user=moderator)
    text = page_text(team_client, "?type=propositions")
    assert "Statut : En attente → Acceptée" in text
    assert "Organisation concernée : — → Tannerie d&#x27;Annonay" in text
    assert "Motif du refus : — → Hors filière." in text
    assert "Statut : En attente → Refusée" in text


def test_the_filter_keeps_one_kind(team_client, moderator):
    """Filtering by kind leaves the other kinds out; an unknown kind shows all."""
    MembershipFactory(user__full_name="Camille Artisane")
    InterventionRequestFactory(school_name="Collège Buffon")
    assert "Collège Buffon" not in page_text(team_client, "?type=membres")
    assert "Camille Artisane" not in page_text(team_client, "?type=demandes")
    everything = page_text(team_client, "?type=inconnu")
    assert "Collège Buffon" in everything and "Camille Artisane" in everything


def test_the_journal_is_paginated_with_a_fixed_query_count(
    team_client, monkeypatch, django_assert_num_queries
):
    """Each page costs the same few queries, whatever the number of entries."""
    monkeypatch.setattr(action_log, "PAGE_SIZE", 5)
    for _ in range(4):
        MembershipFactory()
        InterventionRequestFactory()
        ProposalFactory()
    with django_assert_num_queries(8):
        first = page_text(team_client)
    assert "12 actions" in first and "Page 1 sur 3" in first
    assert "Page 3 sur 3" in page_text(team_client, "?page=3")


def test_an_erased_account_shows_as_deleted(team_client):
    """Memberships of an erased account stay in the journal, without its name."""
    membership = MembershipFactory(user__full_name="Camille Artisane")
    membership.user.delete()
    text = page_text(team_client, "?type=membres")
    assert f"Compte supprimé — {membership.organisation}" in text
    assert "Camille Artisane" not in text
