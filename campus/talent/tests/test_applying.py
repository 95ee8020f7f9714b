"""Applying to a call: opening an application, drafts, files, the summary,
submitting, withdrawing, and who may see or change what."""

import html
import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent import services
from campus.talent.models import Answer, Application, ApplicationStatus, QuestionKind
from campus.talent.tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def call():
    """An open call with one question of each kind; all required but the date."""
    call = CallFactory(title="Concours de création")
    QuestionFactory(
        call=call, position=1, label="Résumé", kind="short_text", max_length=50
    )
    QuestionFactory(call=call, position=2, label="Démarche", kind="long_text")
    QuestionFactory(
        call=call,
        position=3,
        label="Catégorie",
        kind="choice",
        choices="Accessoire\nObjet",
        max_length=None,
    )
    QuestionFactory(
        call=call,
        position=4,
        label="Budget",
        kind="number",
        min_value=Decimal(0),
        max_value=Decimal(5000),
        max_length=None,
    )
    QuestionFactory(
        call=call,
        position=5,
        label="Date",
        kind="date",
        required=False,
        max_length=None,
    )
    QuestionFactory(
        call=call,
        position=6,
        label="Dossier",
        kind="file",
        max_file_mb=1,
        max_length=None,
    )
    return call


def questions(call) -> dict[str, int]:
    return {q.kind: q.pk for q in call.questions.all()}


def complete_data(call, **overrides) -> dict:
    ids = questions(call)
    data = {
        "title": "Sac de voyage",
        f"question_{ids['short_text']}": "Un sac pliable",
        f"question_{ids['long_text']}": "Cousu main.",
        f"question_{ids['choice']}": "Objet",
        f"question_{ids['number']}": "1200,50",
        f"question_{ids['date']}": "2027-04-01",
        f"question_{ids['file']}": SimpleUploadedFile(
            "Mon dossier.PDF", pdf_bytes(), content_type="application/pdf"
        ),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def applicant(client):
    user = UserFactory(email="candidate@exemple.fr")
    client.force_login(user)
    return user


@pytest.fixture
def application(call, applicant):
    return ApplicationFactory(call=call, applicant=applicant, title="")


def draft_url(application):
    return reverse("talent:application_save_draft", args=[application.pk])


def snapshot(application):
    application.refresh_from_db()
    return (
        application.title,
        application.organisation_id,
        application.status,
        sorted(
            (a.question_id, a.text, a.number, a.date, a.file.name, a.file_name)
            for a in application.answers.all()
        ),
    )


# Opening an application.


def test_apply_opens_one_application_and_reopens_a_withdrawn_one(
    client, call, applicant
):
    """« Candidater » creates the user's one application, leads to its form, and
    reopens it as a draft once withdrawn."""
    url = reverse("talent:apply", args=[call.slug])
    assert client.get(url).status_code == 200
    assert not Application.objects.exists()  # GET never writes
    response = client.post(url)
    application = Application.objects.get()
    assert response.url == reverse("talent:application_form", args=[application.pk])
    client.post(url)
    assert Application.objects.count() == 1
    services.withdraw_application(application, acting_user=applicant)
    client.post(url)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.withdrawn_at is None


@pytest.mark.parametrize("trait", ["closed", "upcoming"])
def test_apply_refuses_a_call_not_open(client, applicant, trait):
    """Nobody applies to a closed or upcoming call: a French message, a 409."""
    call = CallFactory(**{trait: True})
    response = client.post(reverse("talent:apply", args=[call.slug]))
    assert response.status_code == 409
    assert "candidatures" in text(response).lower()
    assert not Application.objects.exists()


def test_apply_to_unpublished_call_is_404(client, applicant):
    call = CallFactory(unpublished=True)
    assert client.post(reverse("talent:apply", args=[call.slug])).status_code == 404


# The form and its drafts.


def test_form_has_a_field_per_question_and_the_user_organisations(
    client, call, application, applicant
):
    """The form asks each question with its widget, and « Au nom de » offers the
    user's organisations only."""
    mine = OrganisationFactory(name="Mon atelier")
    OrganisationFactory(name="Atelier voisin")
    MembershipFactory(user=applicant, organisation=mine)
    response = client.get(reverse("talent:application_form", args=[application.pk]))
    page = text(response)
    assert response.status_code == 200
    for label in ("Résumé", "Démarche", "Catégorie", "Budget", "Date", "Dossier"):
        assert label in page
    assert "Mon atelier" in page and "Atelier voisin" not in page
    assert 'type="file"' in page and 'type="date"' in page and "<textarea" in page
    assert 'hx-trigger="change delay:1s"' in page
    assert "Choisissez une réponse" in page
    assert "PDF, JPEG, PNG ou WebP, 1 Mo au plus." in page
    assert "2000 caractères au plus." in page


def test_question_help_text_is_escaped(client, call, application):
    """The team's help text is shown as text, never as HTML."""
    call.questions.filter(kind="short_text").update(help_text="<b>gras</b>")
    response = client.get(reverse("talent:application_form", args=[application.pk]))
    assert b"&lt;b&gt;gras&lt;/b&gt;" in response.content


def test_draft_autosave_saves_incomplete_answers(client, call, application):
    """The htmx autosave keeps what is typed, however incomplete, and answers a
    small status with the time."""
    ids = questions(call)
    response = client.post(
        draft_url(application),
        {f"question_{ids['long_text']}": "Une première idée"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Brouillon enregistré à" in text(response)
    assert "<html" not in text(response)
    answer = Answer.objects.get(application=application)
    assert answer.text == "Une première idée"


def test_draft_save_stores_every_kind_and_keeps_the_file_until_replaced(
    client, call, application
):
    """Each kind is stored in its column; a file is stored privately under its
    content's extension and stays when the form is saved again without it."""
    response = client.post(draft_url(application), complete_data(call))
    assert response.status_code == 302
    ids = questions(call)
    answers = {a.question.kind: a for a in application.answers.all()}
    assert answers["number"].number == Decimal("1200.50")
    assert str(answers["date"].date) == "2027-04-01"
    assert answers["choice"].text == "Objet"
    stored = answers["file"].file.name
    assert stored.startswith(f"candidatures/{application.pk}/{ids['file']}/")
    assert stored.endswith("mon-dossier.pdf")
    assert answers["file"].file_name == "Mon dossier.PDF"
    data = complete_data(call)
    del data[f"question_{ids['file']}"]
    data[f"question_{ids['long_text']}"] = "Cousu main, teint végétal."
    client.post(draft_url(application), data)
    answers["file"].refresh_from_db()
    assert answers["file"].file.name == stored
    page = text(client.get(reverse("talent:application_form", args=[application.pk])))
    assert "Fichier enregistré" in page and "Mon dossier.PDF" in page
    assert "teint végétal" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("short_text", "x" * 51, "50 caractères au plus"),
        ("number", "5000,01", "inférieur ou égal à 5000"),
        ("number", "-1", "supérieur ou égal à 0"),
        ("number", "beaucoup", "Saisissez un nombre"),
        ("choice", "Pirate", "Choix inconnu"),
        ("date", "31/02/2027", "Date invalide"),
        ("title", "x" * 201, "200 caractères au plus"),
        ("organisation", "tampered", "Organisation inconnue"),
    ],
)
def test_draft_refuses_bad_values_in_french_and_keeps_what_was_typed(
    client, call, application, applicant, field, value, message
):
    """Wrong values are a French message and a 400; nothing is saved and the
    form shows what was typed."""
    MembershipFactory(user=applicant)
    other = OrganisationFactory()
    ids = questions(call)
    name = field if field in ("title", "organisation") else f"question_{ids[field]}"
    if value == "tampered":
        value = str(other.pk)
    before = snapshot(application)
    typed = "Une démarche à ne pas perdre"
    response = client.post(
        draft_url(application),
        {name: value, f"question_{ids['long_text']}": typed},
    )
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert typed in page
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not really a pdf", "Ce PDF est illisible"),
        (b"MZ\x90\x00 an executable", "ni un PDF ni une image"),
        (b"%PDF-" + b"0" * 1_100_000, "la limite est de 1,0 Mo"),
    ],
)
def test_draft_refuses_bad_files(client, call, application, content, message):
    """A fake PDF, another kind of file or one over the question's limit is refused
    with a French message; nothing is stored."""
    ids = questions(call)
    response = client.post(
        draft_url(application),
        {f"question_{ids['file']}": SimpleUploadedFile("dossier.pdf", content)},
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Answer.objects.exists()


def test_autosave_with_an_error_says_it_was_not_saved(client, call, application):
    ids = questions(call)
    response = client.post(
        draft_url(application),
        {f"question_{ids['number']}": "beaucoup"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Brouillon non enregistré" in text(response)
    assert not Answer.objects.exists()


def test_nothing_changes_after_the_closing_time(client, call, application):
    """After closes_at, to the second, a draft can neither be saved nor submitted."""
    AnswerFactory(application=application, question=call.questions.first(), text="x")
    before = snapshot(application)
    call.opens_at = timezone.now() - timedelta(days=10)
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = client.post(draft_url(application), complete_data(call))
    assert response.status_code == 409
    assert "closes" in text(response)
    response = client.post(
        reverse("talent:application_submit", args=[application.pk]),
        {"publication_consent": "on"},
    )
    assert response.status_code == 409
    assert snapshot(application) == before
    response = client.get(reverse("talent:application_form", args=[application.pk]))
    assert response.url == reverse("talent:application_summary", args=[application.pk])


# The summary and submitting.


def test_summary_flags_missing_answers_and_submit_refuses_them(
    client, call, application
):
    """The summary links each missing required answer back to the form; submitting
    an incomplete application is a 409 that changes nothing."""
    summary = reverse("talent:application_summary", args=[application.pk])
    page = text(client.get(summary))
    assert page.count("Réponse obligatoire manquante") == 6  # title + 5 questions
    assert "#id_title" in page
    assert f"#id_question_{questions(call)['file']}" in page
    assert "J'accepte que le nom de mon projet" in page
    response = client.post(
        reverse("talent:application_submit", args=[application.pk]),
        {"publication_consent": "on"},
    )
    assert response.status_code == 409
    assert "La candidature est incomplète : 6 réponses obligatoires manquent" in text(
        response
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not application.publication_consent


def test_submit_confirms_by_email_and_makes_the_application_read_only(
    client,
    call,
    application,
    smtp_server,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    """A complete draft is submitted with the consent given, confirmed by an e-mail
    through SMTP (reference, call, date, link), then read-only until withdrawn."""
    client.post(draft_url(application), complete_data(call))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent:application_submit", args=[application.pk]),
            {"publication_consent": "on"},
        )
    run_tasks()
    summary = reverse("talent:application_summary", args=[application.pk])
    assert response.url == summary
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert application.publication_consent
    [received] = smtp_server.messages
    assert received.recipients == ["candidate@exemple.fr"]
    assert received.subject.strip() == (
        f"Candidature {application.reference} déposée : Concours de création"
    )
    body = received.text
    assert "« Sac de voyage »" in body and "« Concours de création »" in body
    assert f"Référence : {application.reference}" in body
    assert "Déposée le : " in body
    link = re.search(r"https?://\S+(/talents/\S+/)", body).group(1)
    assert link == summary
    [copy] = list(received.message.iter_attachments())
    assert copy.get_content_type() == "application/pdf"
    pages = PdfReader(BytesIO(copy.get_content())).pages
    assert application.reference in "".join(page.extract_text() for page in pages)
    page = text(client.get(summary))
    assert "elle ne se modifie plus" in page
    assert "Déposer ma candidature" not in page
    # Read-only: the form leads to the summary, a draft save is refused.
    form_url = reverse("talent:application_form", args=[application.pk])
    assert client.get(form_url).url == summary
    before = snapshot(application)
    response = client.post(draft_url(application), complete_data(call, title="Autre"))
    assert response.status_code == 409
    assert snapshot(application) == before


def test_save_then_summary_shows_the_answers_in_french(client, call, application):
    """« Enregistrer et voir le récapitulatif » saves, then shows every answer as
    people write it."""
    response = client.post(
        draft_url(application), {**complete_data(call), "then": "summary"}
    )
    summary = reverse("talent:application_summary", args=[application.pk])
    assert response.url == summary
    page = text(client.get(summary))
    assert "1200,50" in page and "1er avril 2027" in page and "Mon dossier.PDF" in page
    assert "Réponse obligatoire manquante" not in page
    # A submitted application's « Candidater » leads back to its summary.
    services.submit_application(
        application, acting_user=application.applicant, publication_consent=False
    )
    response = client.post(reverse("talent:apply", args=[call.slug]))
    assert response.url == summary


def test_withdraw_then_submit_again_while_open(client, call, application, applicant):
    """The applicant withdraws after confirming, reopens and submits again."""
    client.post(draft_url(application), complete_data(call))
    services.submit_application(
        application, acting_user=applicant, publication_consent=False
    )
    url = reverse("talent:application_withdraw", args=[application.pk])
    assert "Retirer ma candidature" in text(client.get(url))
    response = client.post(url)
    assert response.url == reverse("talent:my_applications")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    client.post(reverse("talent:apply", args=[call.slug]))
    response = client.post(reverse("talent:application_submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_withdraw_is_refused_after_closing(client, application):
    call = application.call
    call.opens_at = timezone.now() - timedelta(days=10)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    response = client.post(
        reverse("talent:application_withdraw", args=[application.pk])
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


# Who may see and change what.


@pytest.fixture
def shared_application(call):
    """A submitted application made for an organisation, with a file answer."""
    organisation = OrganisationFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=organisation)
    application = ApplicationFactory(
        call=call, applicant=owner, organisation=organisation, title="Projet commun"
    )
    question = call.questions.get(kind=QuestionKind.FILE)
    answer = Answer(application=application, question=question, file_name="a.pdf")
    answer.file.save("a.pdf", SimpleUploadedFile("a.pdf", pdf_bytes()), save=True)
    return application, organisation, question


def urls(application, question):
    pk = application.pk
    return {
        "summary": reverse("talent:application_summary", args=[pk]),
        "file": reverse("talent:answer_file", args=[pk, question.pk]),
        "form": reverse("talent:application_form", args=[pk]),
        "withdraw": reverse("talent:application_withdraw", args=[pk]),
    }


@pytest.mark.parametrize(
    ("who", "reads", "changes"),
    [
        ("applicant", True, True),
        ("other", False, False),
        ("member", True, False),
        ("team", True, False),
    ],
)
def test_authorisation_matrix(client, shared_application, who, reads, changes):
    """The applicant reads and changes; a member of the application's organisation
    and the team read only; another user gets a 404 everywhere."""
    application, organisation, question = shared_application
    user = {
        "applicant": application.applicant,
        "other": UserFactory(),
        "member": MembershipFactory(organisation=organisation).user,
        "team": UserFactory(campus_team=True),
    }[who]
    client.force_login(user)
    addresses = urls(application, question)
    assert client.get(addresses["summary"]).status_code == (200 if reads else 404)
    response = client.get(addresses["file"])
    assert response.status_code == (200 if reads else 404)
    if reads:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    listed = "Projet commun" in text(client.get(reverse("talent:my_applications")))
    assert listed is reads
    before = snapshot(application)
    expected = 200 if changes else 404
    assert client.get(addresses["form"]).status_code == expected
    assert client.get(addresses["withdraw"]).status_code == expected
    if not changes:
        for name in ("application_save_draft", "application_submit"):
            url = reverse(f"talent:{name}", args=[application.pk])
            assert client.post(url, {"title": "Piraté"}).status_code == 404
        assert client.post(addresses["withdraw"]).status_code == 404
        assert snapshot(application) == before


def test_anonymous_is_sent_to_login(client, shared_application):
    application, _organisation, question = shared_application
    login = reverse("accounts:login")
    for url in [*urls(application, question).values(), draft_url(application)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(f"{login}?next=")


def test_application_files_are_not_public_media(client, settings, shared_application):
    """Application files are served by the checking view only: the media view
    refuses the candidatures/ folder."""
    from campus.profiles.views import PUBLIC_MEDIA_FOLDERS

    assert not any(f.startswith("candidatures") for f in PUBLIC_MEDIA_FOLDERS)
