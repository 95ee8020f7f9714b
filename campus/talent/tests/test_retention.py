"""Applications are erased, files included, three years after their call closes;
they appear in the personal-data export and leave with the account."""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.talent.models import (
    APPLICATION_RETENTION_DAYS,
    Answer,
    Application,
    ConflictOfInterest,
    Decision,
    ProjectReport,
    QuestionKind,
    SupportedProject,
)
from campus.talent.retention import purge_expired_applications
from campus.talent.tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
)
from campus.talent.tests.review_factories import ScoreFactory

pytestmark = pytest.mark.django_db


def _with_file(application, name="budget.pdf"):
    answer = AnswerFactory(
        application=application,
        question=QuestionFactory(call=application.call, kind=QuestionKind.FILE),
        text="",
        file_name=name,
    )
    answer.file.save(name, ContentFile(b"%PDF-1.4\n"), save=True)
    assert default_storage.exists(answer.file.name)
    return answer.file.name


def _call_closed(days_ago):
    closes = timezone.now() - timedelta(days=days_ago)
    return CallFactory(opens_at=closes - timedelta(days=30), closes_at=closes)


@pytest.fixture
def expired_call():
    return _call_closed(APPLICATION_RETENTION_DAYS + 1)


def test_applications_of_long_closed_calls_are_erased_with_their_files(
    expired_call, django_capture_on_commit_callbacks
):
    """Past the retention period the rows and the stored files go; recent ones stay."""
    old = ApplicationFactory(call=expired_call, submitted=True)
    old_draft = ApplicationFactory(call=expired_call)
    old_file = _with_file(old)
    recent = ApplicationFactory(
        call=_call_closed(APPLICATION_RETENTION_DAYS - 1), submitted=True
    )
    recent_file = _with_file(recent)
    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_expired_applications(timezone.now())
    assert counts == {"applications": 2, "files": 1, "laureates_stripped": 0}
    assert list(Application.objects.all()) == [recent]
    assert not Answer.objects.filter(application__in=[old.pk, old_draft.pk]).exists()
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent_file)


def test_laureates_keep_only_what_the_public_list_shows(
    expired_call, django_capture_on_commit_callbacks
):
    """A consenting laureate keeps title, organisation and decision; answers, files
    and the decision's reason are erased; a laureate without consent goes whole."""
    named = ApplicationFactory(
        call=expired_call,
        submitted=True,
        decision=Decision.SELECTED,
        decision_reason="Projet solide.",
        publication_consent=True,
    )
    unnamed = ApplicationFactory(
        call=expired_call, submitted=True, decision=Decision.SELECTED
    )
    named_file = _with_file(named)
    AnswerFactory(application=named)
    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_expired_applications(timezone.now())
    assert counts == {"applications": 1, "files": 1, "laureates_stripped": 1}
    named.refresh_from_db()
    assert (named.title, named.decision, named.decision_reason) == (
        named.title,
        Decision.SELECTED,
        "",
    )
    assert not named.answers.exists()
    assert not default_storage.exists(named_file)
    assert not Application.objects.filter(pk=unnamed.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_applications(timezone.now()) == {
            "applications": 0,
            "files": 0,
            "laureates_stripped": 0,
        }


def test_the_daily_purge_command_runs_it(expired_call, capsys):
    """purge_personal_data erases expired applications and says how many."""
    ApplicationFactory(call=expired_call)
    call_command("purge_personal_data")
    assert "1 candidature(s) effacée(s)" in capsys.readouterr().out
    assert not Application.objects.exists()


def test_the_export_lists_the_users_applications(client):
    """The JSON export holds each application, its answers as text and file names,
    and nobody else's."""
    application = ApplicationFactory(submitted=True, title="Atelier partagé")
    AnswerFactory(application=application, text="<b>Réponse</b> longue")
    _with_file(application, name="devis.pdf")
    ApplicationFactory(call=application.call)  # another applicant's
    client.force_login(application.applicant)
    data = json.loads(client.get(reverse("accounts:export_data")).content)
    [exported] = data["candidatures"]
    assert exported["reference"] == application.reference
    assert exported["appel"] == application.call.title
    assert exported["titre"] == "Atelier partagé"
    assert exported["statut"] == "Déposée"
    assert exported["deposee_le"] == application.submitted_at.isoformat()
    answers = exported["reponses"]
    assert answers[0]["reponse"] == "<b>Réponse</b> longue"
    assert answers[1]["fichier"] == "devis.pdf"
    assert "decision" not in exported


def test_deleting_the_account_erases_its_applications_and_files(
    client, django_capture_on_commit_callbacks
):
    """The delete page says so, and the applications and their files go."""
    application = ApplicationFactory(submitted=True)
    other = ApplicationFactory(call=application.call)
    stored = _with_file(application)
    client.force_login(application.applicant)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "vos candidatures aux appels" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete_account"), {"confirm": "on"})
    assert response.status_code == 302
    assert list(Application.objects.all()) == [other]
    assert not default_storage.exists(stored)
    assert UserFactory(email=other.applicant.email).pk == other.applicant.pk


def test_an_erased_project_takes_its_reports_files_with_it(
    expired_call, django_capture_on_commit_callbacks
):
    """A selected application without consent is erased whole: the follow-up of its
    project goes by cascade, and the reports' files leave the storage too."""
    application = ApplicationFactory(
        call=expired_call, submitted=True, decision=Decision.SELECTED
    )
    project = SupportedProject.objects.create(application=application)
    report = ProjectReport(project=project, title="Bilan final")
    report.file.save("bilan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    stored = report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_expired_applications(timezone.now())
    assert counts["files"] == 1
    assert not SupportedProject.objects.exists()
    assert not default_storage.exists(stored)


def test_the_export_lists_what_the_user_wrote_as_a_reviewer(client):
    """A reviewer's export holds their scores, comments and declared conflicts,
    naming applications by reference only; another reviewer's work is not in it."""
    score = ScoreFactory(value=7, review__comment="Projet solide.")
    review = score.review
    reviewer = review.assignment.reviewer
    other_application = ApplicationFactory(call=reviewer.call, submitted=True)
    ConflictOfInterest.objects.create(
        reviewer=reviewer, application=other_application, note="Mon employeur."
    )
    ScoreFactory(review__assignment__reviewer__call=reviewer.call)  # someone else's
    client.force_login(reviewer.user)
    data = json.loads(client.get(reverse("accounts:export_data")).content)
    exported = data["evaluations_de_candidatures"]
    [written] = exported["evaluations"]
    assert written["candidature"] == review.assignment.application.reference
    assert written["commentaire"] == "Projet solide."
    assert written["notes"] == [{"critere": score.criterion.label, "note": 7}]
    assert "titre" not in written
    [conflict] = exported["conflits_d_interets"]
    assert conflict["candidature"] == other_application.reference
    assert conflict["note"] == "Mon employeur."
