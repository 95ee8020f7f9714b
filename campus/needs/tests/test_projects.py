"""Training projects: opened from needs, steps in order, linked to the training
that opens (the needs become met), seen by the team only; bad input is a French
message, a 4xx and nothing saved."""

import html
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus.accounts.tests.factories import UserFactory
from campus.needs import services
from campus.needs.models import (
    NeedStatus,
    ProjectKind,
    ProjectStep,
    Step,
    TrainingProject,
)
from campus.needs.tests.factories import NeedFactory, TrainingProjectFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.places.tests.factories import CommuneFactory
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def team():
    return UserFactory(campus_team=True, full_name="Dominique Chargée")


@pytest.fixture
def needs():
    return [
        NeedFactory(appellation="Piqueur A", organisation__name="Atelier Alpha"),
        NeedFactory(appellation="Piqueur B", organisation__name="Atelier Bêta"),
    ]


@pytest.fixture
def certification():
    return CertificationFactory(
        title="Licence professionnelle Métiers de la mode", rncp_code="RNCP30123"
    )


@pytest.fixture
def project(needs, team):
    return services.open_project(
        needs,
        title="Licence pro en apprentissage",
        kind=ProjectKind.NEW_TRAINING,
        acting_user=team,
        today=TODAY - timedelta(days=400),
    )


def drive_to_opening(project, team, certification, opening=TODAY):
    dates = [TODAY - timedelta(days=d) for d in (300, 200, 100)]
    services.record_step(
        project, Step.PARTNERS_FOUND, dates[0], acting_user=team, today=TODAY
    )
    services.record_step(
        project,
        Step.CERTIFICATION_CHOSEN,
        dates[1],
        acting_user=team,
        certification=certification,
        today=TODAY,
    )
    services.record_step(project, Step.FUNDING, dates[2], acting_user=team, today=TODAY)
    services.record_step(
        project, Step.OPENING_DATE, opening, "Rentrée", acting_user=team, today=TODAY
    )
    project.refresh_from_db()
    return project


# Services


def test_opening_a_project_puts_its_needs_in_progress(project, needs, team):
    """The project starts at « besoins recueillis », its needs' companies are partners."""
    assert project.current_step == Step.NEEDS_GATHERED
    assert project.steps.get().recorded_by == team
    assert set(project.partners.all()) == {need.organisation for need in needs}
    for need in needs:
        need.refresh_from_db()
        assert need.status == NeedStatus.IN_PROGRESS


def test_only_active_needs_get_a_project(team):
    with pytest.raises(services.ProjectRuleError, match="ouverts ou en cours"):
        services.open_project(
            [NeedFactory(met=True)], title="X", kind="new_training", acting_user=team
        )
    with pytest.raises(services.ProjectRuleError, match="au moins un besoin"):
        services.open_project([], title="X", kind="new_training", acting_user=team)
    assert not TrainingProject.objects.exists()


def test_steps_come_in_order_and_not_in_the_future(project, team):
    with pytest.raises(services.ProjectRuleError, match="Partenaires et établissement"):
        services.record_step(project, Step.FUNDING, TODAY, acting_user=team)
    with pytest.raises(services.ProjectRuleError, match="futur"):
        services.record_step(
            project,
            Step.PARTNERS_FOUND,
            TODAY + timedelta(days=1),
            acting_user=team,
            today=TODAY,
        )
    with pytest.raises(services.ProjectRuleError, match="précéder"):
        services.record_step(
            project,
            Step.PARTNERS_FOUND,
            TODAY - timedelta(days=500),
            acting_user=team,
            today=TODAY,
        )
    assert project.steps.count() == 1


def test_the_opening_date_may_lie_ahead_but_not_years_ahead(
    project, team, certification
):
    """The opening-date step carries the planned opening, so it may be in the future."""
    with pytest.raises(services.ProjectRuleError, match="trois ans"):
        drive_to_opening(project, team, certification, TODAY + timedelta(days=1200))
    project = TrainingProject.objects.get(pk=project.pk)
    services.record_step(
        project,
        Step.OPENING_DATE,
        TODAY + timedelta(days=80),
        acting_user=team,
        today=TODAY,
    )
    assert project.steps.get(step=Step.OPENING_DATE).reached_on > TODAY


def test_linking_the_offering_meets_the_needs_and_tells_each_company_alone(
    project,
    needs,
    team,
    certification,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    MembershipFactory(organisation=needs[0].organisation, user__email="a@alpha.fr")
    MembershipFactory(organisation=needs[1].organisation, user__email="b@beta.fr")
    drive_to_opening(project, team, certification)
    offering = OfferingFactory(certification=certification)
    with django_capture_on_commit_callbacks(execute=True):
        services.link_offering(project, offering, acting_user=team)
    run_tasks()
    project.refresh_from_db()
    assert project.offering == offering and project.opened_on == TODAY
    assert project.lead_organisation == offering.organisation
    assert {n.status for n in type(needs[0]).objects.all()} == {NeedStatus.MET}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@alpha.fr", "b@beta.fr"]
    for message in mail.outbox:
        assert len(message.to) == 1
        other = "Bêta" if message.to == ["a@alpha.fr"] else "Alpha"
        assert other not in message.body
        assert "Licence professionnelle Métiers de la mode" in message.body


def test_an_offering_of_another_certification_is_refused(project, team, certification):
    drive_to_opening(project, team, certification)
    with pytest.raises(services.ProjectRuleError, match="ne prépare pas"):
        services.link_offering(project, OfferingFactory(), acting_user=team)
    project.refresh_from_db()
    assert project.offering is None


def test_history_records_who_changed_what(project, team):
    services.record_step(
        project, Step.PARTNERS_FOUND, TODAY, acting_user=team, today=TODAY
    )
    project.refresh_from_db()
    assert project.history.count() == 2
    need = project.needs.order_by("pk").first()
    assert need.history.first().status == NeedStatus.IN_PROGRESS
    assert ProjectStep.history.filter(project_id=project.pk).count() == 2


def test_a_deleted_user_leaves_history_without_blocking(project, team):
    """History rows keep no link that stops a user's erasure (SET_NULL)."""
    team.delete()
    project.refresh_from_db()
    assert project.created_by is None
    assert project.history.first().history_user is None


# Views: who sees what

TEAM_URLS = [
    "/gestion/besoins/projets/",
    "/gestion/besoins/projets/nouveau/",
    "/gestion/besoins/projets/{pk}/",
    "/gestion/besoins/projets/{pk}/supprimer/",
]


@pytest.mark.parametrize("url", TEAM_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, project, url):
    response = client.get(url.format(pk=project.pk))
    assert response.status_code == 302 and response["Location"].startswith(
        "/connexion/"
    )


@pytest.mark.parametrize("url", TEAM_URLS)
def test_partners_never_see_projects_even_for_their_own_needs(
    client, project, needs, url
):
    client.force_login(MembershipFactory(organisation=needs[0].organisation).user)
    assert client.get(url.format(pk=project.pk)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/gestion/besoins/projets/{pk}/etape/",
        "/gestion/besoins/projets/{pk}/formation/",
    ],
)
def test_partners_cannot_post_steps(client, project, needs, url):
    client.force_login(MembershipFactory(organisation=needs[0].organisation).user)
    response = client.post(
        url.format(pk=project.pk),
        {"step": "partners_found", "reached_on": "2026-01-01"},
    )
    assert response.status_code == 404
    assert project.steps.count() == 1


@pytest.mark.parametrize("url", TEAM_URLS)
def test_the_team_sees_the_projects(client, project, team, url):
    client.force_login(team)
    response = client.get(url.format(pk=project.pk))
    assert response.status_code == 200


def test_a_partner_sees_that_its_need_is_covered_without_other_names(
    client, project, needs
):
    client.force_login(MembershipFactory(organisation=needs[0].organisation).user)
    body = text(client.get("/espace/besoins/"))
    assert "Un projet de formation du campus répond à ce besoin" in body
    assert "besoins recueillis" in body
    assert "Atelier Bêta" not in body and project.title not in body


def test_the_project_page_shows_steps_needs_and_history(client, project, team):
    client.force_login(team)
    body = text(client.get(f"/gestion/besoins/projets/{project.pk}/"))
    assert "Besoins recueillis" in body and "Atelier Bêta" in body
    assert "Historique" in body and "Dominique Chargée" in body


def test_the_gap_view_links_a_row_to_a_new_project(client, team):
    need = NeedFactory(organisation__name="Atelier Gamma")
    client.force_login(team)
    body = text(client.get("/gestion/besoins/"))
    url = (
        f"/gestion/besoins/projets/nouveau/?metier=B1802&niveau=3"
        f"&departement={need.departement_code}&voie=apprentissage"
    )
    assert url.replace("&", "&amp;") in client.get("/gestion/besoins/").content.decode()
    assert "Ouvrir un projet" in body
    form = text(client.get(url))
    assert "Atelier Gamma" in form


def test_the_team_opens_a_project_from_a_gap_row(client, team, needs):
    client.force_login(team)
    url = (
        "/gestion/besoins/projets/nouveau/?metier=B1802&niveau=3"
        f"&departement={needs[0].departement_code}&voie=apprentissage"
    )
    response = client.post(
        url,
        {
            "title": "Session piqûre",
            "kind": "continuing_session",
            "needs": [needs[0].pk],
        },
    )
    project = TrainingProject.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == project.get_absolute_url()
    )
    assert list(project.needs.all()) == [needs[0]]


def test_recording_steps_through_the_page(client, project, team, certification):
    client.force_login(team)
    url = f"/gestion/besoins/projets/{project.pk}/etape/"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert (
        client.post(
            url, {"step": "partners_found", "reached_on": yesterday}
        ).status_code
        == 302
    )
    response = client.post(
        url,
        {"step": "certification_chosen", "reached_on": yesterday, "rncp_code": "30123"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = text(response)
    assert 'id="progress"' in body and "<html" not in body
    assert "Étape notée : Certification choisie." in body
    project.refresh_from_db()
    assert project.certification == certification


# Bad input


@pytest.fixture
def at_certification_step(project, team):
    services.record_step(
        project,
        Step.PARTNERS_FOUND,
        project.steps.get().reached_on,
        acting_user=team,
    )
    return project


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {
                "step": "certification_chosen",
                "reached_on": "2026-01-05",
                "rncp_code": "RNCP99999",
            },
            "Aucune certification du catalogue n'a le code « RNCP99999 »",
        ),
        (
            {"step": "certification_chosen", "reached_on": "2026-01-05"},
            "Indiquez le code RNCP",
        ),
        (
            {"step": "opening_date", "reached_on": "2026-01-05"},
            "l'étape suivante est « Certification choisie »",
        ),
        (
            {
                "step": "certification_chosen",
                "reached_on": "2099-01-05",
                "rncp_code": "RNCP30123",
            },
            "dans le futur",
        ),
        (
            {"step": "certification_chosen", "reached_on": "05/13/2026"},
            "Indiquez une date valide",
        ),
        ({"step": "<script>", "reached_on": "2026-01-05"}, "Étape inconnue"),
    ],
)
def test_bad_steps_are_refused_in_french(
    client, at_certification_step, team, certification, data, message
):
    client.force_login(team)
    project = at_certification_step
    response = client.post(f"/gestion/besoins/projets/{project.pk}/etape/", data)
    assert response.status_code == 400
    assert message in text(response)
    assert project.steps.count() == 2
    project.refresh_from_db()
    assert project.certification is None


def test_hostile_text_is_kept_as_text(client, project, team):
    client.force_login(team)
    client.post(
        f"/gestion/besoins/projets/{project.pk}/etape/",
        {
            "step": "partners_found",
            "reached_on": date.today().isoformat(),
            "note": "<script>alert(1)</script>",
        },
    )
    response = client.get(f"/gestion/besoins/projets/{project.pk}/")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_needs_outside_the_row_or_closed_are_refused(client, team, needs):
    """Ids of needs not listed (another row, closed, unknown) save nothing."""
    client.force_login(team)
    elsewhere = NeedFactory(
        organisation=OrganisationFactory(name="Atelier Delta"),
        commune=CommuneFactory(
            insee_code="25056", name="Besançon", departement__code="25"
        ),
    )
    closed = NeedFactory(met=True, commune=needs[0].commune)
    url = (
        "/gestion/besoins/projets/nouveau/?metier=B1802&niveau=3"
        f"&departement={needs[0].departement_code}&voie=apprentissage"
    )
    for bad in ([elsewhere.pk], [closed.pk], ["abc"], [999999], []):
        response = client.post(
            url, {"title": "Projet", "kind": "new_training", "needs": bad}
        )
        assert response.status_code == 400
        assert "besoin" in text(response)
    response = client.post(
        url, {"title": "  ", "kind": "autre", "needs": [needs[0].pk]}
    )
    assert "Indiquez l'intitulé du projet." in text(response)
    assert "Type de projet inconnu" in text(response)
    assert not TrainingProject.objects.exists()


def test_unknown_filters_on_the_list_are_a_400(client, team):
    client.force_login(team)
    response = client.get("/gestion/besoins/projets/?etape=x&annee=abc&departement=99")
    assert response.status_code == 400
    body = text(response)
    assert "Étape inconnue" in body and "Indiquez une année" in body


def test_the_list_filters_by_step_kind_departement_and_year(client, project, team):
    other = TrainingProjectFactory(kind=ProjectKind.CONTINUING_SESSION)
    client.force_login(team)
    body = text(client.get("/gestion/besoins/projets/?type=continuing_session"))
    assert other.title in body and project.title not in body
    departement = project.needs.first().departement_code
    body = text(client.get(f"/gestion/besoins/projets/?departement={departement}"))
    assert project.title in body and other.title not in body
    body = text(
        client.get(
            f"/gestion/besoins/projets/?annee={date.today().year}&etape=needs_gathered"
        )
    )
    assert project.title in body and other.title in body


def test_linking_through_the_page(client, project, team, certification):
    drive_to_opening(project, team, certification, opening=date.today())
    offering = OfferingFactory(certification=certification)
    client.force_login(team)
    url = f"/gestion/besoins/projets/{project.pk}/formation/"
    assert client.post(url, {"offering": OfferingFactory().pk}).status_code == 400
    assert client.post(url, {"offering": offering.pk}).status_code == 302
    project.refresh_from_db()
    assert project.offering == offering


def test_a_partner_who_changed_a_need_can_still_erase_their_account(client, project):
    """The need's history names the partner until the account goes, then no one."""
    need = project.needs.order_by("pk").first()
    editor = MembershipFactory(organisation=need.organisation).user
    MembershipFactory(organisation=need.organisation)  # a co-editor stays
    client.force_login(editor)
    client.post(f"/espace/besoins/{need.pk}/confirmer/")
    assert need.history.first().history_user == editor
    assert client.post("/compte/supprimer/", {"confirm": "on"}).status_code == 302
    assert need.history.first().history_user is None


def test_project_pages_cost_the_same_queries_whatever_their_size(client, team):
    """The list and a project page do not query once per project, need or change."""

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    client.force_login(team)
    small = services.open_project(
        [NeedFactory()], title="Petit", kind="new_training", acting_user=team
    )
    counts = (queries("/gestion/besoins/projets/"), queries(small.get_absolute_url()))
    big = services.open_project(
        NeedFactory.create_batch(4),
        title="Grand",
        kind="new_training",
        acting_user=team,
    )
    services.record_step(big, Step.PARTNERS_FOUND, date.today(), acting_user=team)
    for need in big.needs.all():
        need.headcount = 5
        need.save()
    assert queries("/gestion/besoins/projets/") == counts[0]
    assert queries(big.get_absolute_url()) == counts[1]
