"""A call's applications as an XLSX workbook for the campus team.

One row per application, one column per question, in the form's order. Cells are
typed (numbers as numbers, dates as dates) so that the team can sort and add up;
every text typed by an applicant goes through `campus.spreadsheets.neutralise`.
"""

import io

from django.utils import timezone
from openpyxl import Workbook

from campus.spreadsheets import neutralise
from campus.talent.models import Call, QuestionKind

FIXED_HEADERS = [
    "Référence",
    "Titre du projet",
    "Candidat",
    "Adresse e-mail",
    "Organisation",
    "Statut",
    "Déposée le",
    "Décision",
]


def _answer_value(answer):
    if answer is None:
        return None
    kind = answer.question.kind
    if kind == QuestionKind.NUMBER:
        return answer.number
    if kind == QuestionKind.DATE:
        return answer.date
    if kind == QuestionKind.FILE:
        return neutralise(answer.file_name) or None
    return neutralise(answer.text) or None


def _local_naive(moment):
    # Excel has no time zones: the team reads Paris time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def applications_workbook(call: Call, applications) -> bytes:
    """`applications` (a QuerySet of the call's) as the bytes of an XLSX file."""
    questions = list(call.questions.order_by("position", "pk"))
    applications = applications.select_related(
        "applicant", "organisation"
    ).prefetch_related("answers__question")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Candidatures")
    sheet.append(FIXED_HEADERS + [neutralise(q.label) for q in questions])
    for application in applications.order_by("submitted_at", "pk"):
        answers = {answer.question_id: answer for answer in application.answers.all()}
        sheet.append(
            [
                application.reference,
                neutralise(application.title),
                neutralise(application.applicant.full_name),
                neutralise(application.applicant.email),
                neutralise(application.organisation.name)
                if application.organisation
                else None,
                application.get_status_display(),
                _local_naive(application.submitted_at),
                application.get_decision_display() or None,
            ]
            + [_answer_value(answers.get(question.pk)) for question in questions]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
