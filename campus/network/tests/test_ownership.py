"""The shared ownership rule: row filters and the instance predicate agree, for every owned model."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole, Organisation
from campus.network.permissions import organisation_policy
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.outreach.forms import DiscoveryPlacementForm
from campus.outreach.models import DiscoveryPlacement
from campus.outreach.permissions import placement_policy
from campus.outreach.tests.factories import DiscoveryPlacementFactory
from campus.trades.forms import ShowcaseItemForm
from campus.trades.models import ShowcaseItem
from campus.trades.permissions import showcase_policy
from campus.trainings.forms import OfferingForm
from campus.trainings.models import Offering
from campus.trainings.permissions import offering_policy
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


def organisation_rows(owner, other):
    return [owner, other, OrganisationFactory(unpublished=True)]


def offering_rows(owner, other):
    return [
        OfferingFactory(organisation=organisation, is_published=published)
        for organisation in (owner, other)
        for published in (True, False)
    ]


def showcase_rows(owner, other):
    return [
        ShowcaseItem.objects.create(
            organisation=organisation,
            title="Sac",
            image="vitrine/sac.jpg",
            image_alt="Un sac",
            is_published=published,
        )
        for organisation in (owner, other)
        for published in (True, False)
    ]


def placement_rows(owner, other):
    return [
        DiscoveryPlacementFactory(organisation=organisation, is_published=published)
        for organisation in (owner, other)
        for published in (True, False)
    ]


OWNED_MODELS = {
    "organisation": (Organisation, organisation_policy, organisation_rows),
    "offering": (Offering, offering_policy, offering_rows),
    "showcase item": (ShowcaseItem, showcase_policy, showcase_rows),
    "placement": (DiscoveryPlacement, placement_policy, placement_rows),
}


@pytest.fixture(params=OWNED_MODELS.values(), ids=OWNED_MODELS.keys())
def owned(request):
    model, policy, make_rows = request.param
    owner, other = OrganisationFactory(), OrganisationFactory()
    users = {
        "anonymous": AnonymousUser(),
        "viewer": MembershipFactory(organisation=owner, role=MemberRole.VIEWER).user,
        "owner's editor": MembershipFactory(organisation=owner).user,
        "other editor": MembershipFactory(organisation=other).user,
        "team": UserFactory(campus_team=True),
        "inactive editor": MembershipFactory(
            organisation=owner, user__is_active=False
        ).user,
        "inactive team": UserFactory(campus_team=True, is_active=False),
    }
    return model, policy, make_rows(owner, other), owner, other, users


def test_can_edit_agrees_with_editable_by(owned):
    """For every kind of user, can_edit is true exactly for the rows of editable_by."""
    model, policy, rows, owner, other, users = owned
    for name, user in users.items():
        editable = set(model.objects.editable_by(user))
        assert editable == {row for row in rows if policy.can_edit(user, row)}, name


def test_who_edits_what(owned):
    """Editors edit their organisation's rows, the team every row, nobody else any."""
    model, policy, rows, owner, other, users = owned

    def editable(name):
        return set(model.objects.editable_by(users[name]))

    assert editable("owner's editor") == {
        row for row in rows if policy.owner_id(row) == owner.pk
    }
    assert editable("other editor") == {
        row for row in rows if policy.owner_id(row) == other.pk
    }
    assert editable("team") == set(rows)
    for name in ["anonymous", "viewer", "inactive editor", "inactive team"]:
        assert editable(name) == set(), name


def test_who_sees_what(owned):
    """Members also see their organisation's unpublished rows; the team sees all."""
    model, policy, rows, owner, other, users = owned
    published = set(model.objects.published())
    assert published and published != set(rows)

    def visible(name):
        return set(model.objects.visible_to(users[name]))

    for name in ["anonymous", "inactive editor", "inactive team"]:
        assert visible(name) == published, name
    for name in ["viewer", "owner's editor"]:
        assert visible(name) == published | {
            row for row in rows if policy.owner_id(row) == owner.pk
        }, name
    assert visible("team") == set(rows)


def test_can_edit_costs_one_query_for_many_rows(django_assert_num_queries):
    """Asking about many rows in one request reads the user's organisations once."""
    editor = MembershipFactory().user
    offerings = OfferingFactory.create_batch(
        5, organisation=editor.memberships.get().organisation
    )
    offerings += OfferingFactory.create_batch(5)
    with django_assert_num_queries(1):
        answers = [offering_policy.can_edit(editor, offering) for offering in offerings]
    assert answers == [True] * 5 + [False] * 5


OWNED_FORMS = {
    "offering": OfferingForm,
    "showcase item": ShowcaseItemForm,
    "placement": DiscoveryPlacementForm,
}


@pytest.mark.parametrize("form_class", OWNED_FORMS.values(), ids=OWNED_FORMS.keys())
def test_organisation_choice_is_limited_to_the_ones_the_user_edits(form_class):
    """The choice lists only the user's editable organisations, preselected when alone."""
    membership = MembershipFactory()
    MembershipFactory(user=membership.user, role=MemberRole.VIEWER)
    OrganisationFactory()
    field = form_class(user=membership.user).fields["organisation"]
    assert list(field.queryset) == [membership.organisation]
    assert field.initial == membership.organisation.pk
    assert [label for _, label in field.choices] == [membership.organisation.name]

    MembershipFactory(user=membership.user)
    field = form_class(user=membership.user).fields["organisation"]
    assert field.initial is None
    assert list(field.choices)[0][1] == "Choisissez une organisation"


@pytest.mark.parametrize("form_class", OWNED_FORMS.values(), ids=OWNED_FORMS.keys())
def test_an_organisation_the_user_does_not_edit_is_refused(form_class):
    """A tampered organisation id is a French form error."""
    editor = MembershipFactory().user
    form = form_class({"organisation": OrganisationFactory().pk}, user=editor)
    assert not form.is_valid()
    assert "Organisation inconnue" in form.errors["organisation"][0]


DELETES = {
    "offering": ("trainings:offering_delete", "trainings:partner_offerings", Offering),
    "showcase item": ("trades:showcase_delete", "trades:showcase_list", ShowcaseItem),
    "placement": (
        "outreach:placement_delete",
        "outreach:partner_placements",
        DiscoveryPlacement,
    ),
}


@pytest.fixture(params=DELETES.values(), ids=DELETES.keys())
def deletable(request):
    url_name, list_name, model = request.param
    make_rows = {
        Offering: offering_rows,
        ShowcaseItem: showcase_rows,
        DiscoveryPlacement: placement_rows,
    }[model]
    owner = OrganisationFactory()
    row = make_rows(owner, OrganisationFactory())[0]
    return reverse(url_name, args=[row.pk]), reverse(list_name), model, row


def test_delete_asks_on_get_and_deletes_on_post(client, deletable):
    """GET shows the confirmation and deletes nothing; POST deletes and says so."""
    url, list_url, model, row = deletable
    client.force_login(MembershipFactory(organisation=row.organisation).user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Supprimer définitivement" in response.content.decode()
    assert model.objects.filter(pk=row.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(list_url, 302)]
    assert "Vous avez supprimé" in response.content.decode()
    assert not model.objects.filter(pk=row.pk).exists()


def test_delete_is_404_for_another_partner_and_a_viewer(client, deletable):
    """Someone who does not edit the owner gets a 404, to the question and to the delete."""
    url, _, model, row = deletable
    for user in [
        MembershipFactory().user,
        MembershipFactory(organisation=row.organisation, role=MemberRole.VIEWER).user,
    ]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert model.objects.filter(pk=row.pk).exists()


def test_delete_sends_anonymous_visitors_to_log_in(client, deletable):
    """An anonymous visitor is asked to log in and nothing is deleted."""
    url, _, model, row = deletable
    for response in [client.get(url), client.post(url)]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert model.objects.filter(pk=row.pk).exists()
