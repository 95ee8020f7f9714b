"""Needs of the demo companies: piqueurs, coupeurs and sertisseurs of bag jewellery,
and the training project that led to the demo licence professionnelle.

Loading is idempotent: a need is matched by its organisation and its title, the
project by its title, a step by its project and kind. Everything is flagged
`is_demo` (the steps through their project); the companies are fictitious.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from campus.needs.models import (
    Contract,
    Need,
    NeedKind,
    NeedStatus,
    ProjectKind,
    ProjectStep,
    Step,
    TrainingMode,
    TrainingProject,
)
from campus.network.models import Organisation
from campus.places.models import Commune
from campus.trainings.models import Offering, Route, SkillBlock


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
    # The two needs the licence professionnelle in apprenticeship answered.
    DemoNeed(
        "atelier-cuir-auxois",
        NeedKind.RECRUITMENT,
        "H2502",
        "Responsable du développement produit en maroquinerie (démo)",
        6,
        2,
        "21425",
        3,
        contract=Contract.APPRENTICESHIP,
        status=NeedStatus.MET,
    ),
    DemoNeed(
        "bijoux-de-sac-doubs",
        NeedKind.RECRUITMENT,
        "H2502",
        "Chef / Cheffe d'atelier de bijoux de sac (démo)",
        6,
        1,
        "25056",
        3,
        contract=Contract.APPRENTICESHIP,
        status=NeedStatus.MET,
    ),
]

LICENCE_PROJECT = "Licence professionnelle Métiers de la mode en apprentissage (démo)"
LICENCE_NEEDS = [
    "Responsable du développement produit en maroquinerie (démo)",
    "Chef / Cheffe d'atelier de bijoux de sac (démo)",
]
# Days before the opening each step was reached (the first cohort: after it).
LICENCE_STEPS = [
    (Step.NEEDS_GATHERED, -700, "Deux ateliers cherchent des encadrants formés."),
    (Step.PARTNERS_FOUND, -560, "Le lycée Les Huisselets porte la formation."),
    (Step.CERTIFICATION_CHOSEN, -450, "La licence existe en voie scolaire."),
    (Step.FUNDING, -300, "Financement par les opérateurs de compétences (démo)."),
    (Step.OPENING_DATE, 0, "Rentrée de septembre."),
    (Step.FIRST_COHORT, 14, "Douze apprentis, dont trois des ateliers du projet."),
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
    load_demo_projects(today)
    return len(NEEDS)


def _last_september(today: date) -> date:
    """The last rentrée whose first cohort has started by today."""
    opening = date(today.year, 9, 1)
    return (
        opening
        if opening + timedelta(days=14) <= today
        else opening.replace(year=today.year - 1)
    )


def load_demo_projects(today: date) -> None:
    """The project that opened the demo licence professionnelle in apprenticeship
    at Montbéliard, its steps over two years, and the needs it met."""
    offering = Offering.objects.select_related("organisation").get(
        organisation__slug="lycee-les-huisselets-montbeliard",
        certification__slug="licence-pro-metiers-de-la-mode",
        route=Route.APPRENTICESHIP,
    )
    opening = _last_september(today)
    project, _ = TrainingProject.objects.update_or_create(
        title=LICENCE_PROJECT,
        defaults={
            "kind": ProjectKind.NEW_ROUTE,
            "certification": offering.certification,
            "lead_organisation": offering.organisation,
            "current_step": Step.FIRST_COHORT,
            "offering": offering,
            "opened_on": opening,
            "notes": "Ouverte en apprentissage à la demande des ateliers (démo).",
            "is_demo": True,
        },
    )
    needs = list(Need.objects.filter(appellation__in=LICENCE_NEEDS, is_demo=True))
    project.needs.set(needs)
    project.partners.set({need.organisation_id for need in needs})
    for step, days, note in LICENCE_STEPS:
        ProjectStep.objects.update_or_create(
            project=project,
            step=step,
            defaults={"reached_on": opening + timedelta(days=days), "note": note},
        )
    # The project was opened when its needs were gathered, not when the demo loaded.
    gathered = opening + timedelta(days=LICENCE_STEPS[0][1])
    TrainingProject.objects.filter(pk=project.pk).update(
        created_at=timezone.make_aware(datetime.combine(gathered, time(9)))
    )
