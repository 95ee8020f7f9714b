import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation
from campus.network.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
)
from campus.observatory.models import KeyFigure
from campus.profiles.models import CampusProfile, SectorProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client, demo_campus):
    client.force_login(UserFactory(campus_team=True, is_superuser=True))
    return client


@pytest.fixture
def team(client):
    client.force_login(UserFactory(campus_team=True))
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_back_office_home_counts_what_waits_for_the_team(team):
    """The home counts pending proposals and unpublished listings and links each tool."""
    ProposalFactory.create_batch(2)
    OrganisationFactory()
    OrganisationFactory(unpublished=True)
    body = page(team, reverse("profiles:back_office"))
    assert "2 propositions en attente de modération." in body
    assert "2 organisations, dont 1 non publiée." in body
    for name in [
        "network:proposal_queue",
        "network:organisation_create",
        "profiles:campus_profile_edit",
        "profiles:sector_profile_edit",
        "opendata:run_list",
        "trades:team_know_how_list",
        "outreach:team_queue",
        "admin:index",
    ]:
        assert f'href="{reverse(name)}"' in body, name


def test_profile_forms_show_the_current_profiles(team):
    """The campus and sector forms open filled with what is saved."""
    CampusProfile(name="CMQ Maroquinerie").save()
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z").save()
    assert 'value="CMQ Maroquinerie"' in page(
        team, reverse("profiles:campus_profile_edit")
    )
    sector = page(team, reverse("profiles:sector_profile_edit"))
    assert 'value="Maroquinerie"' in sector and "15.12Z" in sector


def test_proposal_queue_lists_the_pending_proposals(team):
    """The queue shows each pending proposal with its author, and counts them."""
    ProposalFactory(name="Sellerie du Morvan", submitter_name="Claude Martin")
    body = page(team, reverse("network:proposal_queue"))
    assert "<caption>1 proposition</caption>" in body
    assert "Sellerie du Morvan" in body and "Claude Martin" in body


def test_new_organisation_form_offers_the_partnership_fields(team):
    """The team's form for a new listing includes what only the team decides."""
    body = page(team, reverse("network:organisation_create"))
    assert "<h1>Nouvelle organisation</h1>" in body
    assert 'name="partnership_status"' in body


def test_detailed_administration_shows_the_campus_data(team_client):
    """The administration lists and edits organisations, their history and key figures."""
    organisation = Organisation.objects.get(slug="lycee-eugene-guillaume-montbard")
    assert organisation.name in page(
        team_client, reverse("admin:network_organisation_changelist")
    )
    change = page(
        team_client,
        reverse("admin:network_organisation_change", args=[organisation.pk]),
    )
    assert f'value="{organisation.name}"' in change
    history = page(
        team_client,
        reverse("admin:network_organisation_history", args=[organisation.pk]),
    )
    assert "<td>Créé</td>" in history
    campus = CampusProfile.load()
    assert f'value="{escape(campus.name)}"' in page(
        team_client, reverse("admin:profiles_campusprofile_change", args=[campus.pk])
    )
    key_figures = page(team_client, reverse("admin:observatory_keyfigure_changelist"))
    for key_figure in KeyFigure.objects.order_by("pk"):
        assert key_figure.label in key_figures
    assert "<title>Données du campus" in page(team_client, reverse("admin:index"))


@pytest.mark.parametrize(
    ("partner", "login"), [(False, "accounts:login"), (True, "admin:login")]
)
def test_detailed_administration_is_closed_to_everyone_else(client, partner, login):
    """Anonymous visitors and partners are sent to log in instead of seeing data."""
    if partner:
        client.force_login(MembershipFactory().user)
    response = client.get(reverse("admin:network_organisation_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(login))


def test_team_creates_an_organisation(team_client):
    """The team creates a listing directly, unpublished until it decides."""
    response = team_client.post(
        reverse("network:organisation_create"),
        {"name": "Tannerie d'Annonay", "kind": "company", "partnership_status": "none"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Tannerie d'Annonay").is_published is False


def test_expired_form_gets_a_french_page():
    """A form posted without its CSRF token gets a French 403 page."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("network:propose_new_actor"), {"name": "x"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()
