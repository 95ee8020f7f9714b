"""Who may see and change what: anonymous visitors, other partners, members, the team."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole, Organisation
from campus.network.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_membership():
    return MembershipFactory(role=MemberRole.EDITOR)


@pytest.fixture
def other_partner():
    return MembershipFactory(role=MemberRole.EDITOR).user


def partner_urls(organisation, membership_pk):
    pk = organisation.pk
    return [
        reverse("network:organisation_edit", args=[pk]),
        reverse("network:contacts_edit", args=[pk]),
    ], [
        reverse("network:invite", args=[pk]),
        reverse("network:change_role", args=[pk, membership_pk]),
        reverse("network:remove_member", args=[pk, membership_pk]),
    ]


def test_anonymous_sees_published_organisation_only(client):
    """An anonymous visitor reads published listings; an unpublished one is a 404."""
    published = OrganisationFactory(name="Atelier publié")
    hidden = OrganisationFactory(name="Atelier caché", unpublished=True)
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
    page = client.get(reverse("network:directory")).content.decode()
    assert "Atelier publié" in page and "Atelier caché" not in page


def test_private_contacts_are_not_shown_publicly(client):
    """A contact without consent never appears on the public page."""
    person = PersonFactory(full_name="Alix Discrète", is_public=False)
    public = PersonFactory(
        organisation=person.organisation, full_name="Jo Visible", is_public=True
    )
    page = client.get(person.organisation.get_absolute_url()).content.decode()
    assert public.full_name in page
    assert person.full_name not in page and person.email not in page
    assert "notes internes" not in page.lower()


def test_other_partner_gets_404_on_every_private_page(
    client, owner_membership, other_partner
):
    """Partner B cannot read or change partner A's organisation: every URL is a 404."""
    organisation = owner_membership.organisation
    client.force_login(other_partner)
    read_urls, write_urls = partner_urls(organisation, owner_membership.pk)
    for url in read_urls + [reverse("network:members", args=[organisation.pk])]:
        assert client.get(url).status_code == 404, url
    for url in write_urls:
        assert (
            client.post(url, {"role": "viewer", "email": "x@exemple.fr"}).status_code
            == 404
        )
    before = Organisation.objects.values().get(pk=organisation.pk)
    response = client.post(
        reverse("network:organisation_edit", args=[organisation.pk]),
        {"name": "Piraté", "kind": "company"},
    )
    assert response.status_code == 404
    assert Organisation.objects.values().get(pk=organisation.pk) == before


def test_other_partner_cannot_read_unpublished_listing(client, other_partner):
    """An unpublished organisation stays hidden from partners of other organisations."""
    hidden = OrganisationFactory(unpublished=True)
    client.force_login(other_partner)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_member_reads_own_unpublished_listing(client):
    """A member sees their own organisation's listing even before it is published."""
    membership = MembershipFactory(
        role=MemberRole.VIEWER, organisation=OrganisationFactory(unpublished=True)
    )
    client.force_login(membership.user)
    response = client.get(membership.organisation.get_absolute_url())
    assert response.status_code == 200
    assert "Cette fiche n'est pas publiée" in response.content.decode()


def test_viewer_reads_members_but_cannot_edit(client, owner_membership):
    """A viewer sees the member list but the edit pages and actions are 404."""
    organisation = owner_membership.organisation
    viewer = MembershipFactory(organisation=organisation, role=MemberRole.VIEWER)
    client.force_login(viewer.user)
    assert (
        client.get(reverse("network:members", args=[organisation.pk])).status_code
        == 200
    )
    read_urls, write_urls = partner_urls(organisation, owner_membership.pk)
    for url in read_urls:
        assert client.get(url).status_code == 404
    for url in write_urls:
        assert client.post(url, {"role": "viewer"}).status_code == 404


def test_editor_edits_own_organisation(client, owner_membership):
    """An editor saves their listing; partnership fields stay out of their reach."""
    organisation = owner_membership.organisation
    client.force_login(owner_membership.user)
    url = reverse("network:organisation_edit", args=[organisation.pk])
    form = client.get(url).content.decode()
    assert f'value="{escape(organisation.name)}"' in form
    assert 'name="partnership_status"' not in form
    response = client.post(
        url,
        {
            "name": "Maroquinerie Nouvelle",
            "kind": "company",
            "commune": "21500 Montbard",
            "description": "Sacs et ceintures.",
            "partnership_status": "founding",
            "is_published": "",
            "internal_notes": "injecté",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Maroquinerie Nouvelle"
    assert organisation.partnership_status == "none"
    assert organisation.is_published is True
    assert organisation.internal_notes == ""


def test_back_office_is_hidden_from_partners(client, other_partner):
    """The back-office answers 404 to a partner and asks an anonymous visitor to log in."""
    for name in [
        "profiles:back_office",
        "network:proposal_queue",
        "profiles:campus_profile_edit",
    ]:
        assert client.get(reverse(name)).status_code == 302
    client.force_login(other_partner)
    for name in [
        "profiles:back_office",
        "network:proposal_queue",
        "profiles:campus_profile_edit",
    ]:
        assert client.get(reverse(name)).status_code == 404


def test_campus_team_edits_any_organisation(client):
    """The campus team edits every listing, including its partnership fields."""
    organisation = OrganisationFactory()
    client.force_login(UserFactory(campus_team=True))
    url = reverse("network:organisation_edit", args=[organisation.pk])
    response = client.post(
        url,
        {
            "name": organisation.name,
            "kind": "company",
            "partnership_status": "partner",
            "partner_since": "2020-09-01",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.partnership_status == "partner"


def test_get_requests_never_write(
    client, django_assert_max_num_queries, owner_membership
):
    """Every page read by GET leaves the database untouched."""
    organisation = owner_membership.organisation
    client.force_login(owner_membership.user)
    urls = [
        "/",
        reverse("network:directory"),
        organisation.get_absolute_url(),
        reverse("network:partner_space"),
        reverse("network:organisation_edit", args=[organisation.pk]),
        reverse("network:members", args=[organisation.pk]),
        reverse("accounts:account"),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and "django_session" not in q["sql"]
        ]
        assert writes == [], (url, writes)
