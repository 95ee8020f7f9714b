"""The PDF copy of an application: what the applicant sent, as the team reads it.

Rendered by WeasyPrint from `talent/application_copy.html`. Everything the page
needs is inside the HTML: the style inline, the campus's logo as a data: URI.
The fetcher therefore refuses every other address, so an answer can never make
the server fetch anything (answers are escaped text anyway: `<img src=…>`
typed in an answer is printed, not loaded). File answers appear by their name;
the files themselves stay on the site.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from campus.dates import french_date
from campus.pdf import HTML, NoNetworkFetcher, logo_data_uri
from campus.profiles.models import CampusProfile
from campus.talent.models import Answer, Application, QuestionKind


def _answer_text(answer: Answer | None) -> str:
    if answer is None or answer.is_empty:
        return ""
    if answer.question.kind == QuestionKind.DATE:
        return french_date(answer.date)
    return answer.display_value()


def copy_context(application: Application) -> dict:
    campus = CampusProfile.load()
    answers = {
        answer.question_id: answer
        for answer in application.answers.select_related("question")
    }
    return {
        "campus": campus,
        "logo": logo_data_uri(campus),
        "application": application,
        "call": application.call,
        "rows": [
            {
                "question": question,
                "answer": _answer_text(answers.get(question.pk)),
                "is_file": question.kind == QuestionKind.FILE,
            }
            for question in application.call.questions.order_by("position", "pk")
        ],
        "printed_at": timezone.now(),
    }


def application_pdf(application: Application) -> bytes:
    html = render_to_string("talent/application_copy.html", copy_context(application))
    return HTML(
        string=html, base_url="data:,", url_fetcher=NoNetworkFetcher()
    ).write_pdf()


def copy_filename(application: Application) -> str:
    return f"candidature-{application.reference}.pdf"
