"""Following up selected projects: grant and payments, milestones and their
reminders, the laureate's reports, the team's pages and the public laureates."""

import html
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from campus.accounts.tests.factories import UserFactory
from campus.dates import french_date
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent import followup
from campus.talent.demo_followup import load_demo_followup
from campus.talent.models import (
    Decision,
    Milestone,
    Payment,
    ProjectReport,
    ProjectStatus,
    SupportedProject,
)
from campus.talent.tests.factories import ApplicationFactory
from campus.testing.images import image_bytes
from campus.trades.models import ShowcaseItem

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def showcase_item(organisation, title="Sac cousu main", published=True):
    item = ShowcaseItem(
        organisation=organisation,
        title=title,
        image_alt="Un sac posé sur un établi",
        is_published=published,
    )
    item.image.save("sac.png", SimpleUploadedFile("sac.png", image_bytes()))
    return item


@pytest.fixture
def team():
    return UserFactory(campus_team=True, email="equipe@campus.example")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Atelier du lauréat")


@pytest.fixture
def laureate():
    return UserFactory(email="laureate@atelier.fr")


@pytest.fixture
def member(organisation):
    return MembershipFactory(
        organisation=organisation, role=MemberRole.VIEWER, user__email="membre@x.fr"
    ).user


@pytest.fixture
def application(laureate, organisation):
    return ApplicationFactory(
        submitted=True,
        applicant=laureate,
        organisation=organisation,
        decision=Decision.SELECTED,
        publication_consent=True,
        title="Atelier itinérant",
    )


@pytest.fixture
def project(application, team):
    project, created = followup.open_supported_project(
        application, acting_user=team, amount_granted=Decimal("5000")
    )
    assert created
    return project


@pytest.fixture
def report(project, laureate):
    return followup.upload_report(
        project,
        kind="interim",
        title="Point d'étape",
        file=SimpleUploadedFile("etape.pdf", pdf_bytes(), "application/pdf"),
        acting_user=laureate,
    )


# Services


def test_a_project_is_opened_only_for_a_selected_application(team):
    """A waiting-list, unsettled or draft application cannot be followed."""
    for application in [
        ApplicationFactory(submitted=True, decision=Decision.WAITING_LIST),
        ApplicationFactory(submitted=True),
        ApplicationFactory(decision=Decision.SELECTED),
    ]:
        with pytest.raises(followup.NotSelected, match="n'est pas retenue"):
            followup.open_supported_project(application, acting_user=team)
    assert not SupportedProject.objects.exists()


def test_opening_twice_gives_the_same_project(project, team):
    again, created = followup.open_supported_project(
        project.application, acting_user=team
    )
    assert (again, created) == (project, False)


def test_payments_never_add_up_to_more_than_the_grant(project, team):
    """Payments up to the grant are recorded; one cent more is refused in French."""
    today = timezone.localdate()
    followup.record_payment(
        project, amount=Decimal("3000"), paid_on=today, acting_user=team
    )
    followup.record_payment(
        project, amount=Decimal("2000"), paid_on=today, acting_user=team
    )
    with pytest.raises(followup.OverGrant) as error:
        followup.record_payment(
            project, amount=Decimal("0.01"), paid_on=today, acting_user=team
        )
    assert "il reste 0,00 € à verser" in error.value.message
    assert followup.paid_total(project) == Decimal("5000")


def test_the_grant_cannot_fall_below_what_was_paid(project, team):
    followup.record_payment(
        project,
        amount=Decimal("3000"),
        paid_on=timezone.localdate(),
        acting_user=team,
    )
    project.amount_granted = Decimal("2999.99")
    with pytest.raises(followup.OverGrant, match="déjà versés"):
        followup.update_supported_project(project, acting_user=team)
    project.refresh_from_db()
    assert project.amount_granted == Decimal("5000")


def test_only_the_laureate_organisations_showcase_can_be_linked(project, team):
    other = showcase_item(OrganisationFactory())
    with pytest.raises(followup.ForeignShowcaseItem):
        followup.update_supported_project(
            project, acting_user=team, showcase_items=[other]
        )
    own = showcase_item(project.application.organisation)
    followup.update_supported_project(project, acting_user=team, showcase_items=[own])
    assert list(project.showcase_items.all()) == [own]


def test_an_upload_tells_the_team_by_email(
    project, laureate, team, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = followup.upload_report(
            project,
            kind="final",
            title="Bilan",
            file=SimpleUploadedFile("Bilan final!.PDF", pdf_bytes()),
            acting_user=laureate,
        )
    run_tasks()
    assert report.file.name == f"suivi/{project.pk}/bilan-final.pdf"
    [message] = mail.outbox
    assert message.to == ["equipe@campus.example"]
    assert "Atelier itinérant" in message.subject
    assert f"/talents/suivi/rapports/{report.pk}/" in message.body


# Milestone reminders


def reminders() -> str:
    out = StringIO()
    call_command("remind_project_milestones", stdout=out)
    return out.getvalue()


def test_milestones_due_within_a_week_or_overdue_are_reminded_once(
    project, run_tasks, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    Milestone.objects.create(project=project, title="Prototype", due_on=today)
    Milestone.objects.create(
        project=project, title="Rapport", due_on=today - timedelta(days=3)
    )
    Milestone.objects.create(
        project=project, title="Lointaine", due_on=today + timedelta(days=8)
    )
    Milestone.objects.create(
        project=project,
        title="Déjà faite",
        due_on=today - timedelta(days=1),
        done_on=today,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders() == "1 rappel(s) envoyé(s).\n"
        assert reminders() == "0 rappel(s) envoyé(s).\n"
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["laureate@atelier.fr"]
    assert "Prototype" in message.body and "Rapport" in message.body
    assert "en retard" in message.body
    assert "Lointaine" not in message.body and "Déjà faite" not in message.body
    assert f"/talents/candidatures/{project.application_id}/suivi/" in message.body
    assert Milestone.objects.filter(reminded_at__isnull=False).count() == 2


def test_projects_not_in_progress_get_no_reminder(project):
    Milestone.objects.create(
        project=project, title="Prototype", due_on=timezone.localdate()
    )
    project.status = ProjectStatus.ABANDONED
    project.save()
    assert followup.send_milestone_reminders() == 0


def test_a_reminder_reaches_the_real_smtp_server(
    project, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    Milestone.objects.create(
        project=project, title="Prototype", due_on=timezone.localdate()
    )
    with django_capture_on_commit_callbacks(execute=True):
        followup.send_milestone_reminders_task.enqueue()
        run_tasks()
    run_tasks()
    assert [m.recipients for m in smtp_server.messages] == [["laureate@atelier.fr"]]


# Who may open what


@pytest.fixture
def people(laureate, member, team):
    other_applicant = ApplicationFactory(
        submitted=True, decision=Decision.SELECTED
    ).applicant
    return {
        "laureate": laureate,
        "member": member,
        "other_applicant": other_applicant,
        "partner": MembershipFactory(organisation=OrganisationFactory()).user,
        "team": team,
        "anonymous": None,
    }


LAUREATE_ONLY = {"laureate", "member"}
WITH_TEAM = {"laureate", "member", "team"}
TEAM_ONLY = {"team"}


def urls(project, report):
    milestone = Milestone.objects.create(
        project=project, title="Étape", due_on=timezone.localdate()
    )
    return [
        ("get", reverse("talent:followup_laureate", args=[project.application_id])),
        (
            "post",
            reverse("talent:followup_report_upload", args=[project.application_id]),
        ),
        ("get", reverse("talent:followup_report_download", args=[report.pk])),
        ("get", reverse("talent:followup_team_project", args=[project.pk])),
        ("post", reverse("talent:followup_team_project", args=[project.pk])),
        ("post", reverse("talent:followup_team_milestone_add", args=[project.pk])),
        (
            "post",
            reverse(
                "talent:followup_team_milestone_done", args=[project.pk, milestone.pk]
            ),
        ),
        ("post", reverse("talent:followup_team_payment_add", args=[project.pk])),
    ]


ALLOWED = [
    LAUREATE_ONLY,
    LAUREATE_ONLY,
    WITH_TEAM,
    TEAM_ONLY,
    TEAM_ONLY,
    TEAM_ONLY,
    TEAM_ONLY,
    TEAM_ONLY,
]


@pytest.mark.parametrize(
    "who", ["laureate", "member", "other_applicant", "partner", "team", "anonymous"]
)
def test_authorisation_matrix(client, people, project, report, who):
    """Each page that takes an id answers its audience; anyone else gets a 404
    (an anonymous visitor is sent to log in), and nothing is written."""
    user = people[who]
    if user:
        client.force_login(user)
    for (method, url), allowed in zip(urls(project, report), ALLOWED, strict=True):
        before = (Milestone.objects.count(), Payment.objects.count())
        response = getattr(client, method)(url)
        if user is None:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/connexion/"), url
        elif who in allowed:
            # Empty forms are refused with their messages; pages and files open.
            assert response.status_code in (200, 302, 400), url
        else:
            assert response.status_code == 404, url
        if who != "team":
            assert (Milestone.objects.count(), Payment.objects.count()) == before


def test_the_download_is_the_uploaded_file(client, report, member):
    client.force_login(member)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_reports_are_not_public_media(client, report):
    response = client.get("/media/" + report.file.name)
    assert response.status_code == 404


# The laureate's page


def test_the_laureate_sees_amounts_milestones_and_showcase(
    client, project, laureate, team
):
    followup.record_payment(
        project,
        amount=Decimal("1500.5"),
        paid_on=timezone.localdate(),
        acting_user=team,
    )
    Milestone.objects.create(
        project=project, title="Prototype présenté", due_on=timezone.localdate()
    )
    item = showcase_item(project.application.organisation)
    project.showcase_items.add(item)
    client.force_login(laureate)
    response = client.get(project.laureate_url())
    assert response.status_code == 200
    content = page_text(response)
    assert "5\xa0000,00 €" in content and "1\xa0500,50 €" in content
    assert "3\xa0499,50 €" in content
    assert "Prototype présenté" in content and item.image.url in content


def test_the_laureate_uploads_a_report(
    client, project, member, team, run_tasks, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent:followup_report_upload", args=[project.application_id]),
            {
                "kind": "interim",
                "title": "Point à mi-parcours",
                "file": SimpleUploadedFile("point.pdf", pdf_bytes()),
            },
        )
    assert response.status_code == 302
    report = ProjectReport.objects.get()
    assert (report.uploaded_by, report.kind) == (member, "interim")
    run_tasks()
    assert [m.to for m in mail.outbox] == [[team.email]]


@pytest.mark.parametrize(
    "data, file, message",
    [
        (
            {"kind": "interim", "title": "Faux"},
            ("faux.pdf", b"%PDF-1.7 ceci n'est pas un PDF"),
            "Ce PDF est illisible",
        ),
        (
            {"kind": "interim", "title": "Script"},
            ("rapport.pdf", b"<script>alert(1)</script>"),
            "ni un PDF ni une image",
        ),
        ({"kind": "interim", "title": "Vide"}, None, "Choisissez le fichier"),
        ({"kind": "secret", "title": "X"}, ("a.pdf", None), "Type inconnu"),
        ({"kind": "final", "title": ""}, ("a.pdf", None), "Donnez un titre"),
        ({"kind": "final", "title": "x" * 201}, ("a.pdf", None), "au plus 200"),
    ],
)
def test_bad_reports_are_refused_in_french(
    client, project, laureate, data, file, message
):
    client.force_login(laureate)
    if file:
        name, content = file
        data["file"] = SimpleUploadedFile(name, content or pdf_bytes())
    response = client.post(
        reverse("talent:followup_report_upload", args=[project.application_id]), data
    )
    assert response.status_code == 400
    assert message in page_text(response)
    assert not ProjectReport.objects.exists()


def test_an_oversized_report_is_refused(client, project, laureate, settings):
    settings.CAMPUS_MAX_DOCUMENT_BYTES = 1000
    client.force_login(laureate)
    response = client.post(
        reverse("talent:followup_report_upload", args=[project.application_id]),
        {
            "kind": "final",
            "title": "Trop gros",
            "file": SimpleUploadedFile("gros.pdf", pdf_bytes() + b" " * 2000),
        },
    )
    assert response.status_code == 400
    assert "la limite est de" in page_text(response)
    assert not ProjectReport.objects.exists()


def test_no_page_before_the_project_is_opened(client, application, laureate):
    client.force_login(laureate)
    url = reverse("talent:followup_laureate", args=[application.pk])
    assert client.get(url).status_code == 404


# The team's pages


def test_the_team_lists_projects_with_amounts_and_next_milestone(
    client, project, team, django_assert_max_num_queries
):
    today = timezone.localdate()
    Milestone.objects.create(
        project=project, title="Prochaine", due_on=today + timedelta(days=10)
    )
    Milestone.objects.create(
        project=project, title="Plus tard", due_on=today + timedelta(days=40)
    )
    Milestone.objects.create(
        project=project, title="Faite", due_on=today - timedelta(days=40), done_on=today
    )
    for amount in ("600", "400"):
        followup.record_payment(
            project, amount=Decimal(amount), paid_on=today, acting_user=team
        )
    ApplicationFactory(submitted=True, decision=Decision.SELECTED, title="À suivre")
    client.force_login(team)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("talent:followup_team_projects"))
    content = page_text(response)
    assert "Atelier itinérant" in content and "1\xa0000,00 €" in content
    assert french_date(today + timedelta(days=10)) in content
    assert "À suivre" in content


def test_the_team_opens_a_project(client, team):
    application = ApplicationFactory(submitted=True, decision=Decision.SELECTED)
    client.force_login(team)
    response = client.post(
        reverse("talent:followup_team_project_open"),
        {"application": application.pk, "amount_granted": "12 000,50"},
    )
    project = SupportedProject.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.amount_granted == Decimal("12000.50")


def test_the_team_cannot_open_a_project_for_an_application_not_selected(client, team):
    application = ApplicationFactory(submitted=True, decision=Decision.NOT_SELECTED)
    client.force_login(team)
    response = client.post(
        reverse("talent:followup_team_project_open"),
        {"application": application.pk, "amount_granted": "1000"},
    )
    assert response.status_code == 400
    assert "seul un projet retenu peut être suivi" in page_text(response)
    assert not SupportedProject.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"application": "999999", "amount_granted": "10"}, "Candidature inconnue"),
        ({"application": "abc", "amount_granted": "10"}, "Candidature inconnue"),
        ({"amount_granted": "10"}, "Choisissez la candidature"),
        ({"amount_granted": "-5"}, "ne peut pas être négatif"),
        ({"amount_granted": "douze"}, "Indiquez un montant en euros"),
        ({"amount_granted": "1e9"}, "ne peut pas dépasser"),
    ],
)
def test_bad_openings_are_refused_in_french(client, team, data, message):
    client.force_login(team)
    response = client.post(reverse("talent:followup_team_project_open"), data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not SupportedProject.objects.exists()


def test_the_team_records_a_payment_over_the_grant_and_gets_a_french_error(
    client, project, team
):
    client.force_login(team)
    url = reverse("talent:followup_team_payment_add", args=[project.pk])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"amount": "4 000", "paid_on": today})
    assert response.status_code == 302
    response = client.post(url, {"amount": "1000,01", "paid_on": today})
    assert response.status_code == 400
    assert "dépasserait le montant accordé" in page_text(response)
    assert followup.paid_total(project) == Decimal("4000")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"amount": "0", "paid_on": "2026-01-01"}, "au moins 0,01"),
        ({"amount": "10,123", "paid_on": "2026-01-01"}, "deux chiffres"),
        ({"amount": "10", "paid_on": "31/02/2026"}, "date valide"),
        ({"amount": "10", "paid_on": "2206-01-01"}, "dix ans"),
        ({"amount": "10"}, "Indiquez la date"),
    ],
)
def test_bad_payments_are_refused_in_french(client, project, team, data, message):
    client.force_login(team)
    response = client.post(
        reverse("talent:followup_team_payment_add", args=[project.pk]), data
    )
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Payment.objects.exists()


def test_the_team_edits_the_project_and_links_showcase(client, project, team):
    item = showcase_item(project.application.organisation)
    foreign = showcase_item(OrganisationFactory())
    client.force_login(team)
    url = reverse("talent:followup_team_project", args=[project.pk])
    data = {
        "amount_granted": "6000",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "status": "in_progress",
        "public_summary": "Un **atelier** itinérant.",
        "is_public": "on",
        "showcase_items": [item.pk],
    }
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.amount_granted == Decimal("6000")
    assert list(project.showcase_items.all()) == [item]
    for bad, message in [
        ({"showcase_items": [foreign.pk]}, "Réalisation inconnue"),
        ({"ends_on": "2025-12-31"}, "La fin doit suivre"),
        ({"public_summary": "<script>alert(1)</script>"}, "HTML"),
        ({"status": "perdu"}, "État inconnu"),
    ]:
        response = client.post(url, {**data, **bad})
        assert response.status_code == 400, bad
        assert message in page_text(response), bad
    project.refresh_from_db()
    assert project.ends_on.isoformat() == "2026-12-31"


def test_the_team_adds_and_marks_a_milestone(client, project, team):
    client.force_login(team)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("talent:followup_team_milestone_add", args=[project.pk]),
        {"title": "Prototype", "due_on": due},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    client.post(
        reverse("talent:followup_team_milestone_done", args=[project.pk, milestone.pk])
    )
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    response = client.post(
        reverse("talent:followup_team_milestone_add", args=[project.pk]),
        {"title": "", "due_on": due},
    )
    assert response.status_code == 400
    assert "Indiquez l'étape" in page_text(response)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "x" * 201, "due_on": "2026-06-01"}, "au plus 200"),
        ({"title": "Prototype", "due_on": "demain"}, "date valide"),
        ({"title": "Prototype", "due_on": "1900-01-01"}, "dix ans"),
        ({"title": "Prototype"}, "Indiquez la date"),
        ({"title": "Prototype", "due_on": "2026-06-01", "note": "n" * 501}, "500"),
    ],
)
def test_bad_milestones_are_refused_in_french(client, project, team, data, message):
    client.force_login(team)
    response = client.post(
        reverse("talent:followup_team_milestone_add", args=[project.pk]), data
    )
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Milestone.objects.exists()


def test_a_hostile_file_name_is_replaced_by_ours(project, laureate):
    report = followup.upload_report(
        project,
        kind="final",
        title="Bilan",
        file=SimpleUploadedFile("../../../etc/passwd.pdf", pdf_bytes()),
        acting_user=laureate,
    )
    assert report.file.name == f"suivi/{project.pk}/passwd.pdf"


def test_a_milestone_of_another_project_is_a_404(client, project, team):
    other = followup.open_supported_project(
        ApplicationFactory(submitted=True, decision=Decision.SELECTED),
        acting_user=team,
    )[0]
    milestone = Milestone.objects.create(
        project=other, title="Ailleurs", due_on=timezone.localdate()
    )
    client.force_login(team)
    response = client.post(
        reverse("talent:followup_team_milestone_done", args=[project.pk, milestone.pk])
    )
    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.done_on is None


# The public laureates' page


def test_the_public_page_shows_only_public_projects_of_consenting_laureates(
    client, project, team
):
    project.is_public = True
    project.public_summary = "Un atelier qui **voyage**."
    project.save()
    item = showcase_item(project.application.organisation, title="Sac du lauréat")
    hidden_item = showcase_item(
        project.application.organisation, title="Brouillon", published=False
    )
    project.showcase_items.set([item, hidden_item])
    not_public = followup.open_supported_project(
        ApplicationFactory(
            submitted=True,
            decision=Decision.SELECTED,
            publication_consent=True,
            title="Projet discret",
        ),
        acting_user=team,
    )[0]
    no_consent, _ = followup.open_supported_project(
        ApplicationFactory(
            submitted=True, decision=Decision.SELECTED, title="Projet sans accord"
        ),
        acting_user=team,
    )
    no_consent.is_public = True
    no_consent.save()
    assert not_public.pk
    response = client.get(reverse("talent:followup_laureates"))
    assert response.status_code == 200
    content = page_text(response)
    assert "Atelier itinérant" in content and "<strong>voyage</strong>" in content
    assert "Sac du lauréat" in content and "Brouillon" not in content
    assert "Projet discret" not in content and "Projet sans accord" not in content
    assert "<title>Lauréats des appels du campus" in content


def test_a_call_page_can_list_its_own_laureates(project, team):
    """published_projects(call) keeps the projects of that call, for its page."""
    project.is_public = True
    project.save()
    other = ApplicationFactory(
        submitted=True, decision=Decision.SELECTED, publication_consent=True
    )
    other_project = followup.open_supported_project(other, acting_user=team)[0]
    other_project.is_public = True
    other_project.save()
    assert list(followup.published_projects(call=project.application.call)) == [project]
    assert len(followup.published_projects()) == 2


def test_the_laureates_page_reads_a_fixed_number_of_queries(
    client, project, django_assert_max_num_queries
):
    project.is_public = True
    project.save()
    project.showcase_items.add(showcase_item(project.application.organisation))
    with django_assert_max_num_queries(6):
        client.get(reverse("talent:followup_laureates"))


def test_the_laureates_page_is_in_the_sitemap(client):
    response = client.get(reverse("sitemap_section", kwargs={"section": "pages"}))
    assert "/talents/laureats/" in page_text(response)


# Demo


def test_the_demo_follow_up_loads_twice_without_duplicates(application):
    application.is_demo = True
    application.save()
    showcase_item(application.organisation)
    load_demo_followup(application)
    project = load_demo_followup(application)
    assert project.is_demo and project.is_public
    assert project.milestones.count() == 3
    assert project.payments.count() == 1 and project.reports.count() == 1
    assert project.showcase_items.count() == 1
