import pytest
from django.core import mail

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.outreach.models import InterventionRequest, RequestStatus
from campus.outreach.tests.factories import (
    DiscoveryPlacementFactory,
    InterventionRequestFactory,
    TeacherResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned():
    return InterventionRequestFactory(assigned=True)


def test_queryset_shows_a_request_to_the_team_and_the_assigned_partner_only(assigned):
    """visible_to: the team and members of the assigned organisation, nobody else."""
    unconfirmed = InterventionRequestFactory()
    team = UserFactory(campus_team=True)
    viewer = MembershipFactory(
        organisation=assigned.assigned_organisation, role=MemberRole.VIEWER
    ).user
    other = MembershipFactory().user
    assert set(InterventionRequest.objects.visible_to(team)) == {assigned}
    assert list(InterventionRequest.objects.visible_to(viewer)) == [assigned]
    assert not InterventionRequest.objects.visible_to(other).exists()
    assert unconfirmed not in InterventionRequest.objects.visible_to(team)


@pytest.mark.parametrize(
    "url", ["/espace/interventions/{pk}/", "/gestion/interventions/{pk}/"]
)
def test_anonymous_visitor_is_sent_to_login(client, assigned, url):
    """Nobody sees a request without logging in."""
    response = client.get(url.format(pk=assigned.pk))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_assigned_partner_sees_the_request_in_its_space(client, assigned):
    """A member of the assigned organisation reads the request."""
    member = MembershipFactory(organisation=assigned.assigned_organisation).user
    client.force_login(member)
    assert assigned.school_name in client.get("/espace/interventions/").content.decode()
    response = client.get(f"/espace/interventions/{assigned.pk}/")
    assert response.status_code == 200
    assert assigned.teacher_email in response.content.decode()


def test_other_partner_gets_404_everywhere(client, assigned):
    """Another partner can neither read the request nor reach the team pages."""
    client.force_login(MembershipFactory().user)
    assert (
        assigned.school_name
        not in client.get("/espace/interventions/").content.decode()
    )
    for url in [
        f"/espace/interventions/{assigned.pk}/",
        f"/gestion/interventions/{assigned.pk}/",
        "/gestion/interventions/",
    ]:
        assert client.get(url).status_code == 404
    response = client.post(
        f"/gestion/interventions/{assigned.pk}/confier/",
        {"organisation": OrganisationFactory().pk},
    )
    assert response.status_code == 404


def test_unconfirmed_request_is_hidden_even_from_the_team(client):
    """Only confirmed requests reach the team queue."""
    unconfirmed = InterventionRequestFactory()
    client.force_login(UserFactory(campus_team=True))
    assert (
        unconfirmed.school_name
        not in client.get("/gestion/interventions/?statut=all").content.decode()
    )
    assert client.get(f"/gestion/interventions/{unconfirmed.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_team_assigns_and_the_partner_members_and_teacher_are_told(client, run_tasks):
    """Entrusting and scheduling e-mails the partner's members and the teacher; members can then read it."""
    request = InterventionRequestFactory(confirmed=True)
    organisation = OrganisationFactory()
    member = MembershipFactory(
        organisation=organisation, user=UserFactory(email="artisan@atelier.fr")
    ).user
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        f"/gestion/interventions/{request.pk}/confier/",
        {
            "organisation": organisation.pk,
            "scheduled_for": "2026-03-12T09:00",
            "team_notes": "",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["artisan@atelier.fr", request.teacher_email]
    )
    to_teacher = next(m for m in mail.outbox if m.to == [request.teacher_email])
    assert "jeudi 12 mars 2026 à 9 h" in to_teacher.body
    client.force_login(member)
    assert client.get(f"/espace/interventions/{request.pk}/").status_code == 200


def test_team_records_the_outcome_and_the_summary_counts_it(client):
    """The outcome adds pupils by level, schools and artisans to the team summary."""
    first = InterventionRequestFactory(assigned=True, school_uai="0210056X")
    second = InterventionRequestFactory(
        assigned=True, school_uai="0210056X", class_level="3e"
    )
    client.force_login(UserFactory(campus_team=True))
    for request, pupils in [(first, 24), (second, 20)]:
        response = client.post(
            f"/gestion/interventions/{request.pk}/bilan/",
            {
                "held_on": "2026-01-15",
                "pupils_reached": pupils,
                "artisans_involved": 2,
                "outcome": "Très bien.",
            },
        )
        assert response.status_code == 302
    summary = client.get("/gestion/interventions/").context["summary"]
    assert summary["pupils"] == 44
    assert summary["schools"] == 1
    assert summary["artisans"] == 4
    assert summary["by_level"] == [("4e (collège)", 24), ("3e (collège)", 20)]


def test_outcome_in_the_future_is_refused(client, assigned):
    """A report cannot be dated in the future."""
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        f"/gestion/interventions/{assigned.pk}/bilan/",
        {"held_on": "2999-01-01", "pupils_reached": 20, "artisans_involved": 1},
    )
    assert response.status_code == 400
    assigned.refresh_from_db()
    assert assigned.status == RequestStatus.ASSIGNED


def test_a_finished_request_cannot_be_assigned_again(client, assigned):
    """Assigning a done request answers 400 with the reason, and changes nothing."""
    InterventionRequest.objects.filter(pk=assigned.pk).update(status=RequestStatus.DONE)
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        f"/gestion/interventions/{assigned.pk}/confier/",
        {"organisation": OrganisationFactory().pk, "team_notes": ""},
    )
    assert response.status_code == 400
    assert "Cette demande ne peut plus être confiée." in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == RequestStatus.DONE


def test_outreach_home_lists_published_placements_and_resources(client):
    """The public page shows placements of published companies and resources."""
    DiscoveryPlacementFactory(title="Stage visible")
    DiscoveryPlacementFactory(
        title="Stage caché", organisation=OrganisationFactory(unpublished=True)
    )
    TeacherResourceFactory(title="Vidéo de l'atelier")
    page = client.get("/decouvrir/").content.decode()
    assert "Stage visible" in page and "Stage caché" not in page
    assert "Vidéo de l&#x27;atelier" in page
    assert len(mail.outbox) == 0


class TestPartnerPlacements:
    def data(self, organisation, **overrides):
        return {
            "organisation": organisation.pk,
            "title": "Une semaine à l'atelier",
            "level": "3e",
            "places": "2",
            "contact_email": "stages@atelier.fr",
            "is_published": "on",
            **overrides,
        }

    def test_editor_offers_a_placement_shown_on_the_outreach_page(self, client):
        """An editor's placement appears publicly on /decouvrir/."""
        membership = MembershipFactory(role=MemberRole.EDITOR)
        client.force_login(membership.user)
        response = client.post(
            "/espace/stages/ajouter/", self.data(membership.organisation)
        )
        assert response.status_code == 302
        assert (
            "Une semaine à l&#x27;atelier" in client.get("/decouvrir/").content.decode()
        )

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"places": "0"}, "supérieure ou égale à 1"),
            ({"contact_email": "x"}, "courriel"),
        ],
    )
    def test_bad_placement_is_a_400(self, client, overrides, message):
        """Zero places or a bad e-mail is refused."""
        membership = MembershipFactory(role=MemberRole.EDITOR)
        client.force_login(membership.user)
        response = client.post(
            "/espace/stages/ajouter/", self.data(membership.organisation, **overrides)
        )
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_other_partners_and_viewers_cannot_touch_a_placement(self, client):
        """Another organisation's placement is 404, for editing and deleting, and for a viewer."""
        placement = DiscoveryPlacementFactory()
        client.force_login(MembershipFactory(role=MemberRole.EDITOR).user)
        assert client.get(f"/espace/stages/{placement.pk}/").status_code == 404
        assert (
            client.post(f"/espace/stages/{placement.pk}/supprimer/").status_code == 404
        )
        response = client.post(
            "/espace/stages/ajouter/", self.data(placement.organisation)
        )
        assert response.status_code == 400
        viewer = MembershipFactory(
            organisation=placement.organisation, role=MemberRole.VIEWER
        )
        client.force_login(viewer.user)
        assert client.get(f"/espace/stages/{placement.pk}/").status_code == 404
