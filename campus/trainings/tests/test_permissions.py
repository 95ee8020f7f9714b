import pytest
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.trainings.models import Offering, Route
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    return OfferingFactory(certification__title="CAP Maroquinerie")


@pytest.fixture
def owner(offering):
    return MembershipFactory(organisation=offering.organisation).user


@pytest.fixture
def other_editor():
    return MembershipFactory(organisation=OrganisationFactory()).user


def form_data(offering, **changes):
    data = {
        "certification": offering.certification_id,
        "organisation": offering.organisation_id,
        "site": "",
        "route": offering.route,
        "duration": "2 ans",
        "start_dates": "Septembre",
        "enrolment_opens": "",
        "enrolment_closes": "",
        "how_to_apply": "Affelnet",
        "capacity": "12",
        "url": "",
        "is_published": "on",
    }
    return {**data, **changes}


def test_anonymous_visitor_is_sent_to_log_in(client, offering):
    """The partner pages ask visitors to log in."""
    for url in [
        reverse("trainings:partner_offerings"),
        reverse("trainings:offering_create"),
        reverse("trainings:offering_edit", args=[offering.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_editor_edits_an_offering_of_their_organisation(client, offering, owner):
    """An editor of the organisation changes its offering."""
    client.force_login(owner)
    url = reverse("trainings:offering_edit", args=[offering.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(offering, duration="3 ans"))
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.duration == "3 ans"
    assert offering.how_to_apply == "Affelnet"


def test_editor_of_another_organisation_gets_404_and_changes_nothing(
    client, offering, other_editor
):
    """Another partner's offering does not exist for them, to read or to write."""
    client.force_login(other_editor)
    edit = reverse("trainings:offering_edit", args=[offering.pk])
    delete = reverse("trainings:offering_delete", args=[offering.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, form_data(offering, duration="1 jour")).status_code == 404
    assert client.post(delete).status_code == 404
    offering.refresh_from_db()
    assert offering.duration == "2 ans"
    assert (
        offering
        not in client.get(reverse("trainings:partner_offerings"))
        .context["page"]
        .object_list
    )


def test_viewer_member_cannot_edit(client, offering):
    """A member who only reads their organisation's pages does not edit its offerings."""
    viewer = MembershipFactory(
        organisation=offering.organisation, role=MemberRole.VIEWER
    ).user
    client.force_login(viewer)
    assert (
        client.get(reverse("trainings:offering_edit", args=[offering.pk])).status_code
        == 404
    )
    response = client.get(reverse("trainings:offering_create"))
    assert response["Location"] == reverse("trainings:partner_offerings")


def test_viewer_member_sees_an_unpublished_offering_page(client):
    """Members see their organisation's hidden offering; the public does not."""
    hidden = OfferingFactory(unpublished=True)
    viewer = MembershipFactory(
        organisation=hidden.organisation, role=MemberRole.VIEWER
    ).user
    client.force_login(viewer)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "n'est pas publiée" in response.content.decode()


def test_editor_cannot_create_an_offering_for_another_organisation(
    client, offering, owner, other_editor
):
    """A tampered organisation id is refused with a French message; nothing is written."""
    foreign = OrganisationFactory()
    client.force_login(owner)
    response = client.post(
        reverse("trainings:offering_create"),
        form_data(offering, organisation=foreign.pk, route=Route.CONTINUING),
    )
    assert response.status_code == 400
    assert "Organisation inconnue" in response.content.decode()
    assert Offering.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"certification": "999999"}, "Certification inconnue"),
        ({"certification": "abc"}, "Certification inconnue"),
        ({"route": "telepathie"}, "Sélectionnez un choix valide"),
        ({"capacity": "-3"}, "supérieure ou égale à 0"),
        (
            {"enrolment_opens": "2026-05-01", "enrolment_closes": "2026-03-01"},
            "doit suivre leur ouverture",
        ),
    ],
)
def test_invalid_offering_form_answers_400(client, offering, owner, changes, message):
    """Tampered or inconsistent values are explained in French and not saved."""
    client.force_login(owner)
    response = client.post(
        reverse("trainings:offering_edit", args=[offering.pk]),
        form_data(offering, **changes),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    offering.refresh_from_db()
    assert offering.duration == "2 ans"


def test_site_of_another_organisation_is_refused(client, offering, owner):
    """An editor cannot attach their offering to a site that is not theirs."""
    foreign_site = OrganisationFactory().sites.create(name="Annexe")
    client.force_login(owner)
    response = client.post(
        reverse("trainings:offering_edit", args=[offering.pk]),
        form_data(offering, site=foreign_site.pk),
    )
    assert response.status_code == 400
    assert "Site inconnu" in response.content.decode()


def test_editor_creates_then_deletes_an_offering(client, offering, owner):
    """An editor adds an offering to their organisation and deletes it after a confirmation."""
    client.force_login(owner)
    certification = CertificationFactory(title="CAP Sellerie générale")
    response = client.post(
        reverse("trainings:offering_create"),
        form_data(offering, certification=certification.pk, route=Route.CONTINUING),
    )
    assert response.status_code == 302
    created = Offering.objects.get(certification=certification)
    assert created.organisation == offering.organisation
    assert created.commune == offering.organisation.commune
    delete = reverse("trainings:offering_delete", args=[created.pk])
    assert client.get(delete).status_code == 200
    assert Offering.objects.filter(pk=created.pk).exists()
    assert client.post(delete).status_code == 302
    assert not Offering.objects.filter(pk=created.pk).exists()


def test_campus_team_edits_every_offering(client, offering):
    """The campus team edits an offering of any organisation."""
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        reverse("trainings:offering_edit", args=[offering.pk]),
        form_data(offering, is_published=""),
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.is_published is False
    listing = client.get(reverse("trainings:partner_offerings"))
    assert offering in listing.context["page"].object_list


def test_partner_space_links_to_offerings(client, owner):
    """The partner space leads to the offerings page."""
    client.force_login(owner)
    response = client.get(reverse("network:partner_space"))
    assert reverse("trainings:partner_offerings") in response.content.decode()


@pytest.mark.parametrize(("who", "queries"), [("team", 9), ("editor", 10)])
def test_offering_page_knows_who_edits_it_without_a_query_of_its_own(
    client, offering, owner, who, queries, django_assert_num_queries
):
    """The « Modifier » link costs no query on the offerings (an editor's
    organisations are read once: session, user, offering, memberships, campus, then
    for the parts the offering whole, others, InserJeunes figures, coming open days,
    skill blocks it prepares)."""
    client.force_login(UserFactory(campus_team=True) if who == "team" else owner)
    with django_assert_num_queries(queries):
        response = client.get(offering.get_absolute_url())
    assert response.context["can_edit"] is True
