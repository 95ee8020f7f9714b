"""Needs of the demo companies: piqueurs, coupeurs and sertisseurs of bag jewellery.

Loading is idempotent: a need is matched by its organisation and its title. Every
need is flagged `is_demo`; the companies are fictitious.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from campus.needs.models import Contract, Need, NeedKind, NeedStatus, TrainingMode
from campus.network.models import Organisation
from campus.places.models import Commune
from campus.trainings.models import SkillBlock


@dataclass
class DemoNeed:
    organisation: str
    kind: str
    rome_code: str
    appellation: str
    level: int
    headcount: int
    insee_code: str
    months_ahead: int
    contract: str = ""
    training_mode: str = ""
    skills: str = ""
    skill_block: tuple[str, int] | None = None
    period: str = ""
    status: str = NeedStatus.OPEN
    reviewed_days_ago: int = 10


NEEDS = [
    DemoNeed(
        "atelier-cuir-auxois",
        NeedKind.RECRUITMENT,
        "B1802",
        "Piqueur / Piqueuse en maroquinerie (démo)",
        3,
        6,
        "21425",
        9,
        contract=Contract.APPRENTICESHIP,
    ),
    DemoNeed(
        "atelier-cuir-auxois",
        NeedKind.RECRUITMENT,
        "H2409",
        "Coupeur / Coupeuse en maroquinerie (démo)",
        3,
        4,
        "21425",
        6,
        contract=Contract.PERMANENT,
        status=NeedStatus.IN_PROGRESS,
        reviewed_days_ago=200,
    ),
    DemoNeed(
        "atelier-cuir-auxois",
        NeedKind.SKILLS,
        "B1802",
        "Piqueurs et piqueuses de l'atelier (démo)",
        3,
        8,
        "21425",
        12,
        training_mode=TrainingMode.CONTINUING,
        skills="Piqûre sellier à la main et montage de sacs à soufflet.",
        skill_block=("cap-maroquinerie", 2),
        period="De janvier à mars, hors collections",
    ),
    DemoNeed(
        "bijoux-de-sac-doubs",
        NeedKind.SKILLS,
        "B1610",
        "Sertisseurs de bijoux de sac (démo)",
        4,
        3,
        "25056",
        10,
        training_mode=TrainingMode.CONTINUING,
        skills="Sertissage à grains et clos sur fermoirs de sac en laiton doré.",
    ),
    DemoNeed(
        "bijoux-de-sac-doubs",
        NeedKind.RECRUITMENT,
        "B1802",
        "Piqueur / Piqueuse en maroquinerie (démo)",
        3,
        2,
        "25056",
        8,
        contract=Contract.APPRENTICESHIP,
    ),
    DemoNeed(
        "sellerie-auxerrois",
        NeedKind.RECRUITMENT,
        "B1809",
        "Sellier / Sellière harnacheur (démo)",
        3,
        1,
        "89024",
        4,
        contract=Contract.FIXED_TERM,
        status=NeedStatus.MET,
    ),
]


def load_demo_needs() -> int:
    """Loads the demo needs; returns their number."""
    now = timezone.now()
    today = timezone.localdate()
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in={n.organisation for n in NEEDS})
    }
    communes = {
        c.insee_code: c
        for c in Commune.objects.filter(insee_code__in={n.insee_code for n in NEEDS})
    }
    for data in NEEDS:
        need, _ = Need.objects.update_or_create(
            organisation=organisations[data.organisation],
            appellation=data.appellation,
            defaults={
                "kind": data.kind,
                "rome_code": data.rome_code,
                "level": data.level,
                "headcount": data.headcount,
                "commune": communes[data.insee_code],
                "horizon": today + timedelta(days=30 * data.months_ahead),
                "contract": data.contract,
                "training_mode": data.training_mode,
                "skills": data.skills,
                "period": data.period,
                "status": data.status,
                "reviewed_at": now - timedelta(days=data.reviewed_days_ago),
                "is_demo": True,
            },
        )
        if data.skill_block:
            slug, order = data.skill_block
            need.skill_blocks.set(
                SkillBlock.objects.filter(certification__slug=slug, order=order)
            )
    return len(NEEDS)
