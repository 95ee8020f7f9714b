"""The campus team's pages for its calls: who may open them, what they save,
and what they refuse."""

import datetime
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfWriter

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent.models import (
    ApplicationStatus,
    Call,
    CallDocument,
    Decision,
    Question,
    QuestionKind,
)
from campus.talent.team_forms import PARIS
from campus.talent.tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
)
from campus.testing.images import image_bytes

pytestmark = pytest.mark.django_db


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture
def team(client):
    client.force_login(UserFactory(campus_team=True))
    return client


@pytest.fixture
def call():
    call = CallFactory(title="Prix de la jeune création")
    QuestionFactory(call=call, label="Votre projet", position=0)
    return call


def call_data(**overrides):
    data = {
        "title": "Résidence d'artiste 2027",
        "slug": "",
        "kind": "residency",
        "summary": "Six mois dans un atelier du réseau.",
        "description": "Une **résidence** de six mois.",
        "eligibility": "- Artisans\n- Apprenants",
        "applicant_kinds": ["artisan", "learner"],
        "opens_on": "2027-01-04",
        "opens_time": "09:00",
        "closes_on": "2027-03-31",
        "closes_time": "12:00",
        "organisation": "",
    }
    data.update(overrides)
    return data


def question_data(call, rows, *, extra=None):
    """The questions formset's POST: `rows` are the existing questions' values."""
    data = {
        "questions-TOTAL_FORMS": str(len(rows) + (1 if extra is not None else 0)),
        "questions-INITIAL_FORMS": str(len(rows)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    forms = list(rows) + ([extra] if extra is not None else [])
    for index, values in enumerate(forms):
        for key, value in values.items():
            data[f"questions-{index}-{key}"] = value
        data[f"questions-{index}-call"] = str(call.pk)
    return data


def existing(question, **overrides):
    values = {
        "id": str(question.pk),
        "label": question.label,
        "help_text": question.help_text,
        "kind": question.kind,
        "required": "on" if question.required else "",
        "choices": question.choices,
        "max_length": question.max_length or "",
        "min_value": "",
        "max_value": "",
        "max_file_mb": "",
        "position": str(question.position),
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not False}


def new_question(**overrides):
    values = {
        "label": "Budget demandé",
        "help_text": "",
        "kind": "number",
        "required": "",
        "choices": "",
        "max_length": "",
        "min_value": "0",
        "max_value": "50000",
        "max_file_mb": "",
        "position": "5",
    }
    values.update(overrides)
    return values


def id_urls(call, application, answer, document):
    return [
        reverse("talent:team_call_detail", args=[call.pk]),
        reverse("talent:team_call_edit", args=[call.pk]),
        reverse("talent:team_questions", args=[call.pk]),
        reverse("talent:team_documents", args=[call.pk]),
        reverse("talent:team_document_delete", args=[call.pk, document.pk]),
        reverse("talent:team_applications_export", args=[call.pk]),
        reverse("talent:team_application_detail", args=[application.pk]),
        reverse("talent:team_answer_file", args=[answer.pk]),
    ]


@pytest.fixture
def everything(call):
    application = ApplicationFactory(call=call, submitted=True)
    question = QuestionFactory(call=call, kind=QuestionKind.FILE, max_length=None)
    answer = AnswerFactory(
        application=application, question=question, text="", file_name="devis.pdf"
    )
    answer.file.save("devis.pdf", ContentFile(pdf_bytes()))
    document = CallDocument.objects.create(
        call=call, title="Règlement", file=ContentFile(pdf_bytes(), name="r.pdf")
    )
    return call, application, answer, document


# Who may open the pages


def test_anonymous_visitor_is_sent_to_log_in(client, everything):
    """Every team page sends an anonymous visitor to the login page."""
    for url in [reverse("talent:team_calls"), *id_urls(*everything)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/connexion/"), url


@pytest.mark.parametrize("who", ["partner", "applicant"])
def test_partner_and_applicant_get_nothing(client, everything, who):
    """A partner editor and the applicant themselves get the back-office's 404."""
    call, application, _answer, _document = everything
    if who == "partner":
        user = MembershipFactory(organisation=OrganisationFactory()).user
    else:
        user = application.applicant
    client.force_login(user)
    urls = [
        reverse("talent:team_calls"),
        reverse("talent:team_call_create"),
        *id_urls(*everything),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    move = reverse("talent:team_document_move", args=[call.pk, everything[3].pk])
    assert client.post(move, {"sens": "haut"}).status_code == 404
    assert client.post(urls[3], call_data(title="Piraté")).status_code == 404
    assert Call.objects.get(pk=call.pk).title == "Prix de la jeune création"


def test_team_opens_every_page(team, everything):
    """The team reads every page; an unknown id is a 404."""
    for url in [
        reverse("talent:team_calls"),
        reverse("talent:team_call_create"),
        *id_urls(*everything),
    ]:
        assert team.get(url).status_code == 200, url
    for name in ["talent:team_call_detail", "talent:team_application_detail"]:
        assert team.get(reverse(name, args=[99999])).status_code == 404
    call, _application, _answer, document = everything
    other = CallFactory()
    assert (
        team.get(
            reverse("talent:team_document_delete", args=[other.pk, document.pk])
        ).status_code
        == 404
    )


def test_list_counts_applications_by_status_with_drafts(team, call):
    """The list shows unpublished calls and counts drafts, submitted and withdrawn."""
    CallFactory(title="Concours en préparation", unpublished=True)
    ApplicationFactory(call=call)
    ApplicationFactory.create_batch(2, call=call, submitted=True)
    ApplicationFactory(call=call, status=ApplicationStatus.WITHDRAWN)
    content = unescape(team.get(reverse("talent:team_calls")).content.decode())
    assert "Concours en préparation" in content
    assert "Non publié" in content
    assert "<td>1</td><td>2</td><td>1</td>" in content
    assert "Nouvel appel" in content


def test_back_office_card_links_to_the_calls(team, call):
    content = unescape(team.get(reverse("profiles:back_office")).content.decode())
    assert "Appels et concours" in content
    assert reverse("talent:team_calls") in content


# Writing a call


def test_team_creates_a_call_in_paris_time_then_goes_to_its_questions(team):
    """A new call gets a slug from its title and its times in Paris time."""
    response = team.post(reverse("talent:team_call_create"), call_data())
    call = Call.objects.get()
    assert response["Location"] == reverse("talent:team_questions", args=[call.pk])
    assert call.slug == "residence-dartiste-2027"
    assert call.opens_at == datetime.datetime(2027, 1, 4, 9, 0, tzinfo=PARIS)
    assert call.closes_at.astimezone(PARIS).hour == 12
    assert call.applicant_kinds == ["artisan", "learner"]
    assert not call.is_published
    assert call.created_by.is_campus_team


def test_slug_keeps_clear_of_the_talent_addresses(team):
    """A title equal to a fixed word of the talent addresses gets another slug."""
    team.post(reverse("talent:team_call_create"), call_data(title="Nouveau"))
    assert Call.objects.get().slug == "nouveau-2"


def test_editing_keeps_the_address_and_changes_the_dates(team, call):
    data = call_data(title="Prix 2027", kind="competition", opens_on="2027-02-01")
    response = team.post(reverse("talent:team_call_edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.slug.startswith("appel-a-projets")
    assert (call.title, call.kind) == ("Prix 2027", "competition")
    assert call.opens_at.astimezone(PARIS).date() == datetime.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"closes_on": "2026-12-01"},
            "La clôture doit être postérieure à l'ouverture.",
        ),
        (
            {"opens_on": "2027-03-28", "opens_time": "02:30"},
            "2 h 30 n'existe pas ce jour-là à l'heure de Paris",
        ),
        (
            {"description": "<script>alert(1)</script>"},
            "Le HTML n'est pas accepté",
        ),
        (
            {"eligibility": "[clic](javascript:alert(1))"},
            "Les liens doivent commencer par https://",
        ),
        ({"slug": "prix-existant"}, "Un autre appel a déjà cette adresse"),
        ({"slug": "gestion"}, "Cette adresse est réservée"),
        ({"slug": "<b>"}, "L'adresse ne prend que des lettres"),
        ({"applicant_kinds": ["pirate"]}, "Type de candidat inconnu"),
        ({"applicant_kinds": []}, "Cochez au moins un type de candidat."),
        ({"kind": "pirate"}, "Type d'appel inconnu"),
        ({"opens_on": "31/02/2027"}, "Date invalide"),
        ({"opens_time": "25:00"}, "Heure invalide"),
        ({"opens_on": "01/01/0001"}, "Indiquez une date entre 2000 et 2100."),
        ({"closes_on": "31/12/9999"}, "Indiquez une date entre 2000 et 2100."),
        ({"opens_on": ""}, "Indiquez la date."),
        ({"closes_time": ""}, "Indiquez l'heure."),
        ({"organisation": "99999"}, "Organisation inconnue."),
        ({"title": "x" * 201}, "200 caractères"),
        ({"is_published": "on"}, "ne peut pas être publié sans question"),
    ],
)
def test_bad_call_values_are_refused_in_french(team, overrides, message):
    """Each bad value gives a 400 with its French message, and nothing is saved."""
    CallFactory(slug="prix-existant")
    response = team.post(reverse("talent:team_call_create"), call_data(**overrides))
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert Call.objects.count() == 1


def test_dst_gap_on_edit_leaves_the_call_unchanged(team, call):
    """02:30 on the last Sunday of March 2027 does not exist in Paris."""
    before = (call.opens_at, call.closes_at)
    response = team.post(
        reverse("talent:team_call_edit", args=[call.pk]),
        call_data(closes_on="2027-03-28", closes_time="02:30"),
    )
    assert response.status_code == 400
    assert "Choisissez par exemple 3 h 30." in unescape(response.content.decode())
    call.refresh_from_db()
    assert (call.opens_at, call.closes_at) == before


def test_publishing_a_call_with_questions(team, call):
    call.is_published = False
    call.save()
    response = team.post(
        reverse("talent:team_call_edit", args=[call.pk]),
        call_data(is_published="on"),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.is_published


# Questions


def test_team_adds_changes_and_reorders_questions(team, call):
    """The extra form adds a question; limits that do not fit its kind are emptied."""
    first = call.questions.get()
    data = question_data(
        call,
        [existing(first, position="9", label="Votre projet en détail")],
        extra=new_question(max_length="200", choices="a\nb"),
    )
    response = team.post(reverse("talent:team_questions", args=[call.pk]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    budget = call.questions.get(label="Budget demandé")
    assert (first.label, first.position) == ("Votre projet en détail", 9)
    assert (budget.min_value, budget.max_value) == (Decimal("0"), Decimal("50000"))
    assert budget.max_length is None and budget.choices == ""
    assert list(call.questions.values_list("label", flat=True)) == [
        "Budget demandé",
        "Votre projet en détail",
    ]


def test_a_new_question_without_position_goes_last(team, call):
    first = call.questions.get()
    QuestionFactory(call=call, position=7)
    data = question_data(
        call,
        [existing(q) for q in call.questions.all()],
        extra=new_question(position=""),
    )
    assert (
        team.post(reverse("talent:team_questions", args=[call.pk]), data).status_code
        == 302
    )
    assert call.questions.get(label="Budget demandé").position == 8
    assert call.questions.first() == first


def test_team_removes_a_question_of_a_call_without_submissions(team, call):
    first = call.questions.get()
    second = QuestionFactory(call=call)
    ApplicationFactory(call=call)  # a draft: nothing submitted yet
    data = question_data(call, [existing(first), existing(second, DELETE="on")])
    response = team.post(reverse("talent:team_questions", args=[call.pk]), data)
    assert response.status_code == 302
    assert list(call.questions.all()) == [first]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            new_question(kind="choice", choices="Oui", min_value="", max_value=""),
            "Indiquez au moins deux choix, un par ligne.",
        ),
        (
            new_question(kind="choice", choices="Oui\nOui"),
            "Chaque choix doit être différent.",
        ),
        (
            new_question(min_value="10", max_value="1"),
            "La valeur maximale doit dépasser la valeur minimale.",
        ),
        (new_question(kind="file", max_file_mb="500"), "La taille va de 1 à 10 Mo"),
        (new_question(kind="pirate"), "Type de réponse inconnu"),
        (new_question(label=""), "Ce champ est obligatoire."),
        (new_question(position="-3"), "L'ordre est un nombre positif."),
        (new_question(kind="long_text", max_length="9999999"), "caractères au plus"),
        (new_question(label="x" * 301), "300 caractères"),
    ],
)
def test_bad_questions_are_refused_in_french(team, call, extra, message):
    """A bad question gives a 400 with its French message; nothing changes."""
    first = call.questions.get()
    data = question_data(call, [existing(first)], extra=extra)
    response = team.post(reverse("talent:team_questions", args=[call.pk]), data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert list(call.questions.all()) == [first]


def test_a_question_of_another_call_is_refused(team, call):
    """A tampered id (another call's question) is refused, not silently skipped."""
    other = QuestionFactory(label="Question d'un autre appel")
    data = question_data(call, [existing(other, label="Piraté")])
    data["questions-0-id"] = str(other.pk)
    response = team.post(reverse("talent:team_questions", args=[call.pk]), data)
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.label == "Question d'un autre appel"


@pytest.fixture
def submitted(call):
    application = ApplicationFactory(call=call, submitted=True)
    AnswerFactory(application=application, question=call.questions.get())
    return application


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DELETE": "on"}, "ne peut pas être supprimée"),
        ({"kind": "short_text"}, "ne peut pas changer de type de réponse"),
    ],
)
def test_questions_answered_in_submissions_are_locked(
    team, call, submitted, change, message
):
    """Once an application is submitted, a question keeps its place and its kind."""
    first = call.questions.get()
    data = question_data(call, [existing(first, **change)])
    response = team.post(reverse("talent:team_questions", args=[call.pk]), data)
    assert response.status_code == 409
    content = unescape(response.content.decode())
    assert message in content
    assert "leurs réponses seraient perdues" in content or "déjà répondu" in content
    first.refresh_from_db()
    assert first.kind == QuestionKind.LONG_TEXT
    assert submitted.answers.count() == 1


def test_after_submissions_only_optional_questions_are_added(team, call, submitted):
    first = call.questions.get()
    url = reverse("talent:team_questions", args=[call.pk])
    required = question_data(call, [existing(first)], extra=new_question(required="on"))
    response = team.post(url, required)
    assert response.status_code == 409
    assert "doit être facultative" in unescape(response.content.decode())
    assert call.questions.count() == 1
    optional = question_data(call, [existing(first)], extra=new_question())
    assert team.post(url, optional).status_code == 302
    assert call.questions.count() == 2


def test_a_published_call_keeps_one_question(team, call):
    first = call.questions.get()
    data = question_data(call, [existing(first, DELETE="on")])
    response = team.post(reverse("talent:team_questions", args=[call.pk]), data)
    assert response.status_code == 409
    assert "garde au moins une question" in unescape(response.content.decode())
    assert call.questions.count() == 1


# Documents


def upload(content, name="reglement.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_team_uploads_reorders_and_removes_documents(team, call, settings):
    url = reverse("talent:team_documents", args=[call.pk])
    response = team.post(
        url, {"title": "Règlement", "file": upload(pdf_bytes(), "Règlement 2027.pdf")}
    )
    assert response.status_code == 302
    team.post(
        url,
        {"title": "Affiche", "file": upload(image_bytes(), "affiche.png", "image/png")},
    )
    rules, poster = call.documents.all()
    assert rules.file.name == f"appels/{call.pk}/reglement-2027.pdf"
    assert (settings.MEDIA_ROOT / rules.file.name).exists()
    assert poster.file.name.endswith(".png")
    move = reverse("talent:team_document_move", args=[call.pk, poster.pk])
    assert team.post(move, {"sens": "haut"}).status_code == 302
    assert [d.title for d in call.documents.all()] == ["Affiche", "Règlement"]
    delete = reverse("talent:team_document_delete", args=[call.pk, rules.pk])
    assert team.post(delete).status_code == 302
    assert [d.title for d in call.documents.all()] == ["Affiche"]


def test_removing_a_document_deletes_its_file(
    team, call, settings, django_capture_on_commit_callbacks
):
    document = CallDocument.objects.create(
        call=call, title="Règlement", file=ContentFile(pdf_bytes(), name="r.pdf")
    )
    path = settings.MEDIA_ROOT / document.file.name
    delete = reverse("talent:team_document_delete", args=[call.pk, document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        team.post(delete)
    assert not path.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload(b"%PDF-1.4 pas vraiment un pdf"), "Ce PDF est illisible"),
        (upload(b"MZ\x90\x00 un programme", "virus.pdf"), "ni un PDF ni une image"),
        (upload(b"", "vide.pdf"), "Le fichier est vide."),
        (None, "Choisissez un fichier."),
    ],
)
def test_fake_or_missing_documents_are_refused(team, call, file, message):
    data = {"title": "Règlement"}
    if file is not None:
        data["file"] = file
    response = team.post(reverse("talent:team_documents", args=[call.pk]), data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not call.documents.exists()


def test_oversized_document_is_refused(team, call, settings):
    settings.CAMPUS_MAX_DOCUMENT_BYTES = 1024
    response = team.post(
        reverse("talent:team_documents", args=[call.pk]),
        {"title": "Gros fichier", "file": upload(pdf_bytes() + b" " * 2048)},
    )
    assert response.status_code == 400
    assert "la limite est de" in unescape(response.content.decode())
    assert not call.documents.exists()


# Dashboard, applications, export


@pytest.fixture
def applications(call):
    organisation = OrganisationFactory(name="Atelier du Doubs")
    number = QuestionFactory(
        call=call, label="Budget", kind=QuestionKind.NUMBER, position=1
    )
    day = QuestionFactory(call=call, label="Début", kind=QuestionKind.DATE, position=2)
    first = ApplicationFactory(
        call=call,
        submitted=True,
        title='=HYPERLINK("https://pirate.example","clic")',
        organisation=organisation,
        decision=Decision.SELECTED,
    )
    AnswerFactory(
        application=first, question=call.questions.get(position=0), text="@SUM(A1)"
    )
    AnswerFactory(
        application=first, question=number, text="", number=Decimal("1500.50")
    )
    AnswerFactory(
        application=first, question=day, text="", date=datetime.date(2027, 5, 3)
    )
    second = ApplicationFactory(call=call, submitted=True, title="Atelier mobile")
    draft = ApplicationFactory(call=call, title="Brouillon secret")
    return first, second, draft


def test_dashboard_lists_submitted_applications_by_default(team, call, applications):
    first, second, draft = applications
    url = reverse("talent:team_call_detail", args=[call.pk])
    content = unescape(team.get(url).content.decode())
    assert first.reference in content and second.reference in content
    assert "Brouillon secret" not in content
    assert "Atelier du Doubs" in content
    for link in ["team_call_edit", "team_questions", "team_documents"]:
        assert reverse(f"talent:{link}", args=[call.pk]) in content
    assert '<option value="submitted" selected>' in content
    selected = unescape(team.get(url, {"decision": "selected"}).content.decode())
    assert "Atelier mobile" not in selected and first.reference in selected
    drafts = unescape(team.get(url, {"statut": "draft"}).content.decode())
    assert "Brouillon secret" in drafts and "Atelier mobile" not in drafts


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"statut": "pirate"}, "Statut inconnu"),
        ({"decision": "x"}, "Décision inconnue"),
    ],
)
def test_dashboard_refuses_unknown_filters(team, call, applications, query, message):
    for name in ["talent:team_call_detail", "talent:team_applications_export"]:
        response = team.get(reverse(name, args=[call.pk]), query)
        assert response.status_code == 400
        assert message in unescape(response.content.decode())


def test_export_has_typed_cells_and_neutralised_formulas(team, call, applications):
    """One row per application, one column per question, typed and formula-free."""
    first, second, _draft = applications
    response = team.get(reverse("talent:team_applications_export", args=[call.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="candidatures-'
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Référence",
        "Titre du projet",
        "Candidat",
        "Adresse e-mail",
        "Organisation",
        "Statut",
        "Déposée le",
        "Décision",
        "Votre projet",
        "Budget",
        "Début",
    )
    assert len(rows) == 3
    by_reference = {row[0]: row for row in rows[1:]}
    row = by_reference[first.reference]
    assert row[1] == '\'=HYPERLINK("https://pirate.example","clic")'
    assert row[4] == "Atelier du Doubs"
    assert isinstance(row[6], datetime.datetime)
    assert row[7] == "Retenue"
    assert row[8] == "'@SUM(A1)"
    assert row[9] == 1500.5
    assert row[10] == datetime.datetime(2027, 5, 3)
    cell_types = {
        cell.data_type for cell in sheet[2 if rows[1][0] == first.reference else 3]
    }
    assert "f" not in cell_types
    assert by_reference[second.reference][9] is None


def test_team_reads_an_application_and_downloads_its_file(team, everything):
    call, application, answer, _document = everything
    content = unescape(
        team.get(
            reverse("talent:team_application_detail", args=[application.pk])
        ).content.decode()
    )
    assert application.reference in content
    assert "Votre projet" in content
    assert reverse("talent:team_answer_file", args=[answer.pk]) in content
    response = team.get(reverse("talent:team_answer_file", args=[answer.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="devis.pdf"' in response["Content-Disposition"]


def test_answer_without_file_is_a_404(team, call, submitted):
    answer = submitted.answers.get()
    assert (
        team.get(reverse("talent:team_answer_file", args=[answer.pk])).status_code
        == 404
    )


def test_question_model_is_untouched_by_get(team, call):
    """GET never writes: opening the editor creates no question."""
    team.get(reverse("talent:team_questions", args=[call.pk]))
    assert Question.objects.count() == 1


def test_a_tampered_questions_form_is_refused(team, call):
    """Without the formset's management data, the page says so and saves nothing."""
    response = team.post(
        reverse("talent:team_questions", args=[call.pk]), {"questions-0-label": "x"}
    )
    assert response.status_code == 400
    assert call.questions.count() == 1


def test_list_and_dashboard_queries_do_not_grow_with_rows(
    team, call, applications, django_assert_max_num_queries
):
    """The list counts in one query; the dashboard's rows come with their people."""
    CallFactory.create_batch(3)
    with django_assert_max_num_queries(12):
        assert team.get(reverse("talent:team_calls")).status_code == 200
    ApplicationFactory.create_batch(5, call=call, submitted=True)
    with django_assert_max_num_queries(14):
        response = team.get(reverse("talent:team_call_detail", args=[call.pk]))
    assert response.status_code == 200
