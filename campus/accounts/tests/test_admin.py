"""The campus team's access to the detailed administration at /gestion/admin/."""

import pytest
from django.urls import reverse

from campus.accounts.models import User
from campus.accounts.tests.factories import UserFactory
from campus.demo import DEMO_PASSWORD
from campus.network.models import MemberRole, Organisation
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.trainings.models import Certification
from campus.trainings.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
LOGIN_PAGES = [reverse("admin:login"), reverse("accounts:login")]


def team_pages(organisation, certification):
    """The admin pages the README sends the team to."""
    return [
        reverse("admin:index"),
        reverse("admin:network_organisation_changelist"),
        reverse("admin:network_organisation_add"),
        reverse("admin:network_organisation_change", args=[organisation.pk]),
        reverse("admin:network_organisation_history", args=[organisation.pk]),
        reverse("admin:network_proposal_changelist"),
        reverse("admin:trainings_certification_changelist"),
        reverse("admin:trainings_certification_add"),
        reverse("admin:trainings_certification_change", args=[certification.pk]),
        reverse("admin:trainings_offering_changelist"),
        reverse("admin:trades_trade_changelist"),
        reverse("admin:outreach_interventionrequest_changelist"),
        reverse("admin:opendata_importrun_changelist"),
        reverse("admin:places_commune_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:autocomplete")
        + "?app_label=network&model_name=membership&field_name=user&term=a",
    ]


@pytest.fixture
def pages():
    return team_pages(OrganisationFactory(), CertificationFactory())


def test_the_team_opens_the_admin_pages_it_uses(client, pages):
    """A campus team member, not superuser, opens each admin page the team uses."""
    client.force_login(UserFactory(campus_team=True))
    for url in pages:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "who",
    [
        lambda: MembershipFactory(role=MemberRole.EDITOR).user,
        lambda: UserFactory(),
        lambda: UserFactory(campus_team=True, is_active=False),
    ],
    ids=["editor", "account", "former-team-member"],
)
def test_others_are_sent_to_a_login_page(client, pages, who):
    """Partners, other accounts and former team members never see the admin pages."""
    client.force_login(who())
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].split("?")[0] in LOGIN_PAGES, url


def test_the_team_cannot_grant_rights(client):
    """The team reads accounts but cannot change them, so only a superuser grants rights."""
    team_member = UserFactory(campus_team=True)
    client.force_login(team_member)
    url = reverse("admin:accounts_user_change", args=[team_member.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": team_member.email,
            "full_name": "Moi",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 403
    team_member.refresh_from_db()
    assert not team_member.is_superuser
    assert not team_member.has_perm("network.change_historicalorganisation")
    assert team_member.has_perm("network.change_organisation")


def test_the_demo_team_account_opens_the_admin(client, demo_campus):
    """After load_demo, the demo team account logs in and opens the admin pages."""
    login = reverse("accounts:login")
    pages = team_pages(
        Organisation.objects.filter(is_demo=True).first(),
        Certification.objects.order_by("pk").first(),
    )
    client.post(login, {"username": "equipe@campus.example", "password": DEMO_PASSWORD})
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.post(reverse("accounts:logout"))
    editor = User.objects.get(email="editeur.lycee@campus.example")
    client.post(login, {"username": editor.email, "password": DEMO_PASSWORD})
    assert client.get(pages[1]).status_code == 302
