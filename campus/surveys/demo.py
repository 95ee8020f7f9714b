"""Two demo needs surveys of the demo companies: one closed, answered by two of
them, and one open. Loading is idempotent (campaigns matched by title); every
campaign and need is flagged `is_demo` and its title says « démo »."""

from datetime import timedelta

from django.utils import timezone

from campus.needs.models import Contract, Need, NeedKind, TrainingMode
from campus.network.models import Organisation, OrganisationKind
from campus.places.models import Commune
from campus.surveys.models import SurveyAnswer, SurveyCampaign, SurveyInvitation

CLOSED_TITLE = "Besoins en compétences du printemps (démo)"
OPEN_TITLE = "Recrutements de la rentrée (démo)"
INTRODUCTION = (
    "Le campus prépare l'ouverture de nouvelles sessions de formation. Dites-nous "
    "qui vous cherchez à recruter et ce que vos salariés doivent apprendre : "
    "cinq minutes suffisent, et chaque réponse compte."
)

# (organisation, need fields, commune INSEE code) of the closed campaign's answers.
ANSWERS = [
    (
        "atelier-cuir-auxois",
        {
            "kind": NeedKind.RECRUITMENT,
            "rome_code": "B1802",
            "appellation": "Monteur / Monteuse de sacs (démo, enquête)",
            "level": 3,
            "headcount": 2,
            "contract": Contract.APPRENTICESHIP,
        },
        "21425",
    ),
    (
        "bijoux-de-sac-doubs",
        {
            "kind": NeedKind.SKILLS,
            "rome_code": "B1610",
            "appellation": "Polisseurs de fermoirs (démo, enquête)",
            "level": 4,
            "headcount": 3,
            "training_mode": TrainingMode.CONTINUING,
            "skills": "Polissage et dorure des fermoirs de sac.",
        },
        "25056",
    ),
]


def _campaign(title, *, sent_days_ago, closes_in_days, now):
    campaign, _ = SurveyCampaign.objects.update_or_create(
        title=title,
        is_demo=True,
        defaults={
            "introduction": INTRODUCTION,
            "organisation_kind": OrganisationKind.COMPANY,
            "reminder_days": 10,
            "closes_on": timezone.localdate(now) + timedelta(days=closes_in_days),
            "sent_at": now - timedelta(days=sent_days_ago),
        },
    )
    for organisation in Organisation.objects.filter(
        kind=OrganisationKind.COMPANY, is_demo=True
    ).order_by("pk"):
        SurveyInvitation.objects.get_or_create(
            campaign=campaign,
            organisation=organisation,
            defaults={"sent_at": campaign.sent_at},
        )
    return campaign


def load_demo_surveys() -> int:
    """Loads the demo campaigns; returns their number."""
    now = timezone.now()
    closed = _campaign(CLOSED_TITLE, sent_days_ago=60, closes_in_days=-30, now=now)
    _campaign(OPEN_TITLE, sent_days_ago=3, closes_in_days=30, now=now)
    for slug, fields, insee_code in ANSWERS:
        invitation = closed.invitations.filter(organisation__slug=slug).first()
        if invitation is None:
            continue
        answered_at = closed.sent_at + timedelta(days=5)
        need, _ = Need.objects.update_or_create(
            organisation=invitation.organisation,
            appellation=fields["appellation"],
            defaults={
                **fields,
                "commune": Commune.objects.get(insee_code=insee_code),
                "horizon": timezone.localdate(now) + timedelta(days=240),
                "reviewed_at": answered_at,
                "is_demo": True,
            },
        )
        SurveyAnswer.objects.get_or_create(invitation=invitation, need=need)
        invitation.opened_at = invitation.answered_at = answered_at
        invitation.save(update_fields=["opened_at", "answered_at"])
    return 2
