"""The demo's calls: an open design competition for apprentices and a closed call
for projects with its laureate.

Loading is idempotent: a call is matched by its slug, a question by its call and
position. Every call is flagged `is_demo`; the dates follow today's date, so the
competition stays open and the call for projects stays closed.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from campus.network.models import Membership, Organisation
from campus.talent.models import (
    ApplicantKind,
    Application,
    ApplicationStatus,
    Call,
    CallKind,
    Decision,
    Question,
    QuestionKind,
)

COMPETITION = "concours-jeunes-createurs-demo"
PROJECTS = "appel-a-projets-ateliers-demo"


def at_noon(days_from_today: int) -> datetime:
    """Noon, Paris time, this many days from today: when a team opens or closes a call."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


CALLS = [
    {
        "slug": COMPETITION,
        "title": "Concours jeunes créateurs : le sac de demain",
        "kind": CallKind.COMPETITION,
        "summary": (
            "Apprentis et élèves de la filière : dessinez et réalisez un sac ou un "
            "petit accessoire en cuir, jugé par un jury de professionnels."
        ),
        "description": (
            "Le campus invite les apprentis et les élèves de la maroquinerie à "
            "concevoir **un sac ou un petit accessoire** qui allie savoir-faire et "
            "matières de récupération.\n\n"
            "- un jury de maroquiniers et d'enseignants retient trois lauréats ;\n"
            "- les pièces lauréates sont exposées lors des Journées européennes des "
            "métiers d'art ;\n"
            "- chaque lauréat reçoit un kit d'outillage."
        ),
        "eligibility": (
            "Être **apprenti, élève ou étudiant** dans une formation de la filière "
            "(CAP, bac pro, BMA, DN MADE) de la région. Candidature individuelle, "
            "avec l'accord de l'établissement de formation."
        ),
        "applicant_kinds": [ApplicantKind.LEARNER],
        "opens_at": -10,
        "closes_at": 45,
        "questions": [
            {
                "label": "Votre formation et votre établissement",
                "kind": QuestionKind.SHORT_TEXT,
                "max_length": 150,
                "help_text": "Par exemple : CAP maroquinerie, lycée des métiers.",
            },
            {
                "label": "Présentez votre création",
                "kind": QuestionKind.LONG_TEXT,
                "max_length": 3000,
                "help_text": "L'idée, les matières, les techniques : 3 000 caractères.",
            },
            {
                "label": "Catégorie",
                "kind": QuestionKind.CHOICE,
                "choices": "Sac\nPetite maroquinerie\nAccessoire de mode",
            },
            {
                "label": "Planche de dessin ou photo de la maquette",
                "kind": QuestionKind.FILE,
                "max_file_mb": 5,
                "help_text": "PDF, JPEG, PNG ou WebP, 5 Mo au plus.",
            },
        ],
        "laureate": None,
    },
    {
        "slug": PROJECTS,
        "title": "Appel à projets : innovation dans les ateliers",
        "kind": CallKind.PROJECTS,
        "summary": (
            "Un soutien aux ateliers partenaires qui forment et innovent : "
            "équipement, prototypes, accueil d'apprentis."
        ),
        "description": (
            "Le campus a soutenu **deux projets** d'ateliers partenaires : "
            "équipement d'un poste de piquage partagé et prototypes en cuir "
            "végétal."
        ),
        "eligibility": "Entreprises et organisations partenaires du campus.",
        "applicant_kinds": [ApplicantKind.PARTNER, ApplicantKind.COMPANY],
        "opens_at": -150,
        "closes_at": -60,
        "questions": [
            {
                "label": "Décrivez votre projet",
                "kind": QuestionKind.LONG_TEXT,
                "max_length": 4000,
            },
            {
                "label": "Budget prévisionnel (euros)",
                "kind": QuestionKind.NUMBER,
                "min_value": 0,
                "max_value": 50000,
            },
        ],
        "laureate": ("atelier-cuir-auxois", "Poste de piquage partagé (démo)"),
    },
]


def load_demo_calls() -> int:
    """Loads the demo calls; returns their number."""
    with transaction.atomic():
        for data in CALLS:
            call, _ = Call.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "kind": data["kind"],
                    "summary": data["summary"],
                    "description": data["description"],
                    "eligibility": data["eligibility"],
                    "applicant_kinds": [str(kind) for kind in data["applicant_kinds"]],
                    "opens_at": at_noon(data["opens_at"]),
                    "closes_at": at_noon(data["closes_at"]),
                    "is_published": True,
                    "is_demo": True,
                },
            )
            for position, question in enumerate(data["questions"], start=1):
                Question.objects.update_or_create(
                    call=call,
                    position=position,
                    defaults={"required": True, **question},
                )
            if data["laureate"]:
                _load_laureate(call, *data["laureate"])
    return len(CALLS)


def _load_laureate(call: Call, organisation_slug: str, title: str) -> None:
    """A selected application of a demo organisation's member, named with consent."""
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    membership = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("pk")
        .first()
        if organisation
        else None
    )
    if membership is None:
        return
    Application.objects.update_or_create(
        call=call,
        applicant=membership.user,
        defaults={
            "organisation": organisation,
            "title": title,
            "status": ApplicationStatus.SUBMITTED,
            "submitted_at": call.closes_at - timedelta(days=3),
            "decision": Decision.SELECTED,
            "decided_at": call.closes_at + timedelta(days=20),
            "publication_consent": True,
            "is_demo": True,
        },
    )
