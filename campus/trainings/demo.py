"""Demo certifications and offerings of the leather and fine-crafts sector.

Titles, diploma types and levels are those of the national framework; NSF and
ROME codes are given only where they are certain, and RNCP codes are left blank
until the RNCP importer fills them. Which school teaches what, by which route,
and every date below are typed for the demo: all records are flagged `is_demo`
and will be replaced by the ONISEP/RNCP imports. Loading is idempotent.
"""

from django.db import transaction

from campus.network.models import Organisation
from campus.trainings.models import (
    Certification,
    DiplomaType,
    Offering,
    Route,
    SkillBlock,
)

CERTIFICATIONS = [
    {
        "slug": "cap-maroquinerie",
        "title": "CAP Maroquinerie",
        "diploma_type": DiplomaType.CAP,
        "level": 3,
        "nsf_code": "243",
        "rome_codes": "B1802",
        "description": "Le titulaire du CAP prépare, coupe et assemble les pièces de cuir "
        "d'un article de maroquinerie (sac, portefeuille, ceinture), à la main et à la machine.",
        "skill_blocks": [
            "Préparation d'une fabrication en maroquinerie",
            "Réalisation d'un article de maroquinerie",
        ],
    },
    {
        "slug": "bac-pro-metiers-du-cuir-option-maroquinerie",
        "title": "Bac pro Métiers du cuir option maroquinerie",
        "diploma_type": DiplomaType.BAC_PRO,
        "level": 4,
        "nsf_code": "243",
        "rome_codes": "B1802",
        "description": "Du prototype à la série : étude d'un modèle, choix des matières, "
        "coupe, préparation, piquage et montage, contrôle de la qualité.",
    },
    {
        "slug": "cap-sellerie-generale",
        "title": "CAP Sellerie générale",
        "diploma_type": DiplomaType.CAP,
        "level": 3,
        "description": "Garnissage et sellerie de sièges, de bâches et d'habitacles "
        "(automobile, nautisme, aéronautique).",
    },
    {
        "slug": "cap-sellier-harnacheur",
        "title": "CAP Sellier-harnacheur",
        "diploma_type": DiplomaType.CAP,
        "level": 3,
        "description": "Fabrication et réparation de selles, de harnais et d'articles "
        "d'équitation en cuir.",
    },
    {
        "slug": "bma-bijou-option-bijouterie-joaillerie",
        "title": "BMA Bijou option bijouterie-joaillerie",
        "diploma_type": DiplomaType.BMA,
        "level": 4,
        "description": "Brevet des métiers d'art : réalisation de bijoux et de pièces de "
        "métal précieux, dont les fermoirs et bijoux de sac de la maroquinerie de luxe.",
    },
    {
        "slug": "bts-metiers-de-la-mode-chaussure-et-maroquinerie",
        "title": "BTS Métiers de la mode - chaussure et maroquinerie",
        "diploma_type": DiplomaType.BTS,
        "level": 5,
        "rome_codes": "B1802",
        "description": "Industrialisation des produits : patronage, prototypage, "
        "méthodes et suivi de la production.",
    },
    {
        "slug": "dn-made-mention-materiaux",
        "title": "DN MADe mention Matériaux",
        "diploma_type": DiplomaType.DN_MADE,
        "level": 6,
        "description": "Diplôme national des métiers d'art et du design, en trois ans : "
        "création et mise en œuvre des matériaux, dont le cuir.",
    },
    {
        "slug": "licence-pro-metiers-de-la-mode",
        "title": "Licence professionnelle Métiers de la mode",
        "diploma_type": DiplomaType.LICENCE_PRO,
        "level": 6,
        "description": "Une année après un bac + 2 pour encadrer le développement "
        "et la fabrication de produits de mode et de maroquinerie.",
    },
]

OPEN_DAYS = "Samedi 7 mars 2026, de 9 h à 12 h (démo)\nMercredi 25 mars 2026, de 14 h à 17 h (démo)"
SCHOOL_APPLICATION = (
    "Après la 3e : vœux sur Affelnet auprès du collège. "
    "Ensuite : dossier et entretien avec l'établissement (démo)."
)
APPRENTICE_APPLICATION = (
    "Trouvez une entreprise d'accueil, puis prenez rendez-vous avec le CFA ; "
    "le campus diffuse les offres de contrat des entreprises partenaires (démo)."
)
ADULT_APPLICATION = (
    "Réunion d'information collective, puis entretien individuel ; financement "
    "possible par le CPF ou France Travail (démo)."
)

# (organisation slug, certification slug, route, duration, capacity)
OFFERINGS = [
    ("lycee-eugene-guillaume-montbard", "cap-maroquinerie", Route.SCHOOL, "2 ans", 15),
    (
        "lycee-eugene-guillaume-montbard",
        "bac-pro-metiers-du-cuir-option-maroquinerie",
        Route.SCHOOL,
        "3 ans",
        24,
    ),
    (
        "lycee-eugene-guillaume-montbard",
        "cap-maroquinerie",
        Route.APPRENTICESHIP,
        "2 ans",
        8,
    ),
    (
        "lycee-eugene-guillaume-montbard",
        "bts-metiers-de-la-mode-chaussure-et-maroquinerie",
        Route.SCHOOL,
        "2 ans",
        15,
    ),
    (
        "lycee-les-huisselets-montbeliard",
        "bac-pro-metiers-du-cuir-option-maroquinerie",
        Route.SCHOOL,
        "3 ans",
        15,
    ),
    (
        "lycee-les-huisselets-montbeliard",
        "dn-made-mention-materiaux",
        Route.SCHOOL,
        "3 ans",
        20,
    ),
    (
        "lycee-les-huisselets-montbeliard",
        "licence-pro-metiers-de-la-mode",
        Route.APPRENTICESHIP,
        "1 an",
        12,
    ),
    ("cfa-pays-de-montbeliard", "cap-maroquinerie", Route.APPRENTICESHIP, "2 ans", 12),
    (
        "cfa-pays-de-montbeliard",
        "cap-sellier-harnacheur",
        Route.APPRENTICESHIP,
        "2 ans",
        8,
    ),
    (
        "cfa-pays-de-montbeliard",
        "bma-bijou-option-bijouterie-joaillerie",
        Route.APPRENTICESHIP,
        "2 ans",
        8,
    ),
    ("greta-21", "cap-maroquinerie", Route.CONTINUING, "9 mois (1 000 heures)", 12),
    ("greta-21", "cap-sellerie-generale", Route.CONTINUING, "8 mois (900 heures)", 10),
]

APPLICATIONS = {
    Route.SCHOOL: SCHOOL_APPLICATION,
    Route.APPRENTICESHIP: APPRENTICE_APPLICATION,
    Route.CONTINUING: ADULT_APPLICATION,
}
START_DATES = {
    Route.SCHOOL: "Septembre",
    Route.APPRENTICESHIP: "Septembre (contrat possible dès juillet)",
    Route.CONTINUING: "Octobre et février",
}


@transaction.atomic
def load_demo_trainings() -> int:
    """Loads the demo certifications and offerings; returns the number of offerings."""
    certifications = {}
    for data in CERTIFICATIONS:
        fields = {k: v for k, v in data.items() if k not in {"slug", "skill_blocks"}}
        certification, _ = Certification.objects.update_or_create(
            slug=data["slug"], defaults={**fields, "is_demo": True}
        )
        for order, title in enumerate(data.get("skill_blocks", []), start=1):
            SkillBlock.objects.update_or_create(
                certification=certification,
                order=order,
                defaults={"title": title, "code": f"Bloc {order}"},
            )
        certifications[data["slug"]] = certification
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in={row[0] for row in OFFERINGS})
    }
    for org_slug, cert_slug, route, duration, capacity in OFFERINGS:
        Offering.objects.update_or_create(
            organisation=organisations[org_slug],
            certification=certifications[cert_slug],
            route=route,
            defaults={
                "duration": duration,
                "capacity": capacity,
                "start_dates": START_DATES[route],
                "open_days": OPEN_DAYS,
                "how_to_apply": APPLICATIONS[route],
                "is_published": True,
                "is_demo": True,
            },
        )
    return len(OFFERINGS)
