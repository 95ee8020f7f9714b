"""Applying to a call: opening one's application, saving it as a draft, submitting
and withdrawing it.

The closing time is the server's, to the second: from `closes_at` on, nothing of an
application changes, drafts included. A submitted application is read-only; its
applicant may withdraw it and submit it again while the call is open.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from campus.dates import french_date
from campus.documents import stored_name, validate_document_upload
from campus.mail import send_templated_email
from campus.network.models import Organisation
from campus.ownership import organisation_ids_of
from campus.rules import RuleError
from campus.talent.copies import application_pdf, copy_filename
from campus.talent.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    Question,
    QuestionKind,
)


class ApplicationError(RuleError):
    """A step the call or the application does not allow now."""

    status_code = 409
    title = "Candidature impossible"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def check_call_open(call: Call, *, now: datetime | None = None) -> None:
    now = _now(now)
    if now < call.opens_at:
        raise ApplicationError(
            "Les candidatures ne sont pas encore ouvertes : elles ouvrent le "
            f"{french_date(call.opens_at, 'heure')}."
        )
    if now >= call.closes_at:
        raise ApplicationError(
            "Les candidatures sont closes depuis le "
            f"{french_date(call.closes_at, 'heure')} : la candidature ne peut plus "
            "être modifiée ni déposée."
        )


def _check_editable(application: Application, *, acting_user, now) -> None:
    if application.applicant_id != acting_user.pk:
        raise ApplicationError(
            "Seule la personne qui candidate modifie sa candidature."
        )
    check_call_open(application.call, now=now)
    if application.status == ApplicationStatus.SUBMITTED:
        raise ApplicationError(
            "Cette candidature est déposée : elle ne se modifie plus. Retirez-la pour "
            "la modifier, puis déposez-la de nouveau avant la clôture."
        )
    if application.status == ApplicationStatus.WITHDRAWN:
        raise ApplicationError(
            "Cette candidature est retirée : rouvrez-la depuis la page de l'appel."
        )


def open_application(
    call: Call, *, acting_user, now: datetime | None = None
) -> Application:
    """The user's one application to the call: created, or reopened if withdrawn."""
    check_call_open(call, now=now)
    with transaction.atomic():
        application, created = Application.objects.select_for_update().get_or_create(
            call=call, applicant=acting_user, defaults={"title": ""}
        )
        if application.status == ApplicationStatus.WITHDRAWN:
            application.status = ApplicationStatus.DRAFT
            application.withdrawn_at = None
            application.submitted_at = None
            application.save(update_fields=["status", "withdrawn_at", "submitted_at"])
    return application


AnswerValue = str | Decimal | date | UploadedFile | None


@dataclass
class Draft:
    """What the form sends: the title, the organisation and each question's value
    (a file is None when it is not replaced)."""

    title: str
    organisation: Organisation | None
    values: dict[int, AnswerValue]


def save_draft(
    application: Application,
    draft: Draft,
    *,
    acting_user,
    now: datetime | None = None,
) -> Application:
    """Saves what was typed, complete or not; a file answer keeps its stored file
    until another one replaces it."""
    now = _now(now)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_editable(application, acting_user=acting_user, now=now)
        if draft.organisation is not None and not (
            organisation_ids_of(acting_user)
            .filter(organisation_id=draft.organisation.pk)
            .exists()
        ):
            raise ApplicationError(
                "Vous ne candidatez qu'au nom d'une organisation dont vous êtes membre."
            )
        application.title = draft.title
        application.organisation = draft.organisation
        application.save(update_fields=["title", "organisation", "updated_at"])
        questions = {q.pk: q for q in application.call.questions.all()}
        answers = {a.question_id: a for a in application.answers.all()}
        for question_id, value in draft.values.items():
            question = questions[question_id]
            if question_id not in answers and value in (None, ""):
                continue
            answer = answers.get(question_id) or Answer(
                application=application, question=question
            )
            if question.kind == QuestionKind.FILE:
                if value is None:
                    continue
                _store_file(answer, question, value)
            else:
                _set_value(answer, question, value)
            answer.save()
    return application


def _set_value(answer: Answer, question: Question, value: AnswerValue) -> None:
    if question.kind == QuestionKind.NUMBER:
        answer.number = value
    elif question.kind == QuestionKind.DATE:
        answer.date = value
    else:
        answer.text = value or ""


def _store_file(answer: Answer, question: Question, uploaded: UploadedFile) -> None:
    max_bytes = question.max_file_mb * 1_048_576 if question.max_file_mb else None
    extension = validate_document_upload(uploaded, max_bytes=max_bytes)
    if answer.file:
        answer.file.delete(save=False)
    answer.file_name = (uploaded.name or "document")[:255]
    answer.file.save(stored_name(uploaded, extension), uploaded, save=False)


def missing_answers(application: Application) -> list[Question]:
    """The required questions still without an answer."""
    answered = {
        answer.question_id
        for answer in application.answers.all()
        if not answer.is_empty
    }
    return [
        question
        for question in application.call.questions.all()
        if question.required and question.pk not in answered
    ]


def submit_application(
    application: Application,
    *,
    acting_user,
    publication_consent: bool,
    now: datetime | None = None,
) -> Application:
    """Submits a complete draft before the closing time and confirms it by e-mail."""
    now = _now(now)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call")
            .get(pk=application.pk)
        )
        _check_editable(application, acting_user=acting_user, now=now)
        missing = missing_answers(application)
        if not application.title.strip() or missing:
            count = len(missing) + (0 if application.title.strip() else 1)
            raise ApplicationError(
                f"La candidature est incomplète : {count} réponse"
                f"{'s' if count > 1 else ''} obligatoire{'s' if count > 1 else ''} "
                "manque" + ("nt" if count > 1 else "") + ". Complétez-la avant de la "
                "déposer."
            )
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = now
        application.withdrawn_at = None
        application.publication_consent = publication_consent
        application.save(
            update_fields=[
                "status",
                "submitted_at",
                "withdrawn_at",
                "publication_consent",
                "updated_at",
            ]
        )
        send_templated_email(
            "talent/email/application_submitted",
            {"application": application, "call": application.call},
            [acting_user.email],
            attachments=[
                (
                    copy_filename(application),
                    application_pdf(application),
                    "application/pdf",
                )
            ],
        )
    return application


def withdraw_application(
    application: Application, *, acting_user, now: datetime | None = None
) -> Application:
    """Withdraws a draft or a submitted application before the closing time."""
    now = _now(now)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call")
            .get(pk=application.pk)
        )
        if application.applicant_id != acting_user.pk:
            raise ApplicationError(
                "Seule la personne qui candidate retire sa candidature."
            )
        check_call_open(application.call, now=now)
        if application.status == ApplicationStatus.WITHDRAWN:
            raise ApplicationError("Cette candidature est déjà retirée.")
        application.status = ApplicationStatus.WITHDRAWN
        application.withdrawn_at = now
        application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return application
