import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client):
    call_command("load_demo", verbosity=0)
    client.force_login(UserFactory(campus_team=True, is_superuser=True))
    return client


def test_back_office_pages_render_for_the_team(team_client):
    """The back-office home, profile forms and new-organisation form render for the team."""
    for name in [
        "profiles:back_office",
        "profiles:edit_campus_profile",
        "profiles:edit_sector_profile",
        "network:proposal_queue",
        "network:create_organisation",
    ]:
        assert team_client.get(reverse(name)).status_code == 200, name


def test_detailed_administration_renders(team_client):
    """The detailed administration lists and edits organisations, with their history."""
    organisation = Organisation.objects.get(slug="lycee-eugene-guillaume-montbard")
    urls = [
        reverse("admin:index"),
        reverse("admin:network_organisation_changelist"),
        reverse("admin:network_organisation_change", args=[organisation.pk]),
        reverse("admin:network_organisation_history", args=[organisation.pk]),
        reverse("admin:profiles_campusprofile_change", args=[1]),
        reverse("admin:observatory_keyfigure_changelist"),
    ]
    for url in urls:
        assert team_client.get(url).status_code == 200, url


def test_team_creates_an_organisation(team_client):
    """The team creates a listing directly, unpublished until it decides."""
    response = team_client.post(
        reverse("network:create_organisation"),
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
