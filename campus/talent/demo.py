"""The demo's talent area: the calls, two apprentices' entries to the design
competition reviewed by two reviewers, the follow-up of the closed call's laureate,
a residency and the Erasmus+ mobility. Everything is labelled « Démo » and loads
twice without duplicates."""

from datetime import timedelta

from django.utils import timezone

from campus.accounts.models import User
from campus.talent.demo_calls import COMPETITION, PROJECTS, load_demo_calls
from campus.talent.demo_followup import load_demo_followup
from campus.talent.demo_mobility import load_demo_mobility
from campus.talent.demo_review import load_demo_review
from campus.talent.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    Decision,
    QuestionKind,
)

ENTRANTS = [
    (
        "apprentie.demo@campus.example",
        "Lina Démo",
        "Besace en chutes de cuir tressées",
        "Une besace dont le rabat est tressé à partir de chutes d'atelier.",
    ),
    (
        "apprenti.demo@campus.example",
        "Hugo Démo",
        "Porte-cartes plié sans couture",
        "Un porte-cartes découpé d'une seule pièce et plié, sans fil ni colle.",
    ),
]


def load_demo_talent() -> None:
    load_demo_calls()
    competition = Call.objects.get(slug=COMPETITION)
    _load_entries(competition)
    load_demo_review(competition)
    laureate = (
        Application.objects.filter(call__slug=PROJECTS, decision=Decision.SELECTED)
        .order_by("pk")
        .first()
    )
    if laureate is not None:
        load_demo_followup(laureate)
    load_demo_mobility()


def _load_entries(competition: Call) -> None:
    """Submitted entries of two demo apprentices, with their text answers."""
    # Imported here: campus.demo imports this module.
    from campus.demo import DEMO_PASSWORD

    for email, full_name, title, description in ENTRANTS:
        applicant = User.objects.filter(email=email).first()
        if applicant is None:
            applicant = User.objects.create_user(
                email, DEMO_PASSWORD, full_name=full_name
            )
        application, _ = Application.objects.update_or_create(
            call=competition,
            applicant=applicant,
            defaults={
                "title": title,
                "status": ApplicationStatus.SUBMITTED,
                "submitted_at": timezone.now() - timedelta(days=2),
                "is_demo": True,
            },
        )
        for question in competition.questions.exclude(kind=QuestionKind.FILE):
            defaults = {"text": description}
            if question.kind == QuestionKind.CHOICE:
                defaults = {"text": question.choice_list()[0]}
            elif question.kind == QuestionKind.NUMBER:
                defaults = {"number": question.min_value or 1, "text": ""}
            elif question.kind == QuestionKind.DATE:
                defaults = {"date": timezone.localdate(), "text": ""}
            Answer.objects.update_or_create(
                application=application, question=question, defaults=defaults
            )
