"""Demo certifications and offerings of the leather and fine-crafts sector.

Titles, diploma types and levels are those of the national framework; NSF and
ROME codes are given only where they are certain. The RNCP number, diploma code
(CFD) and ONISEP id are the real ones, taken from ONISEP's table de passage
(2025), so that the ONISEP and RNCP imports adopt these certifications instead
of creating them a second time; the four without a row there have none yet.
Which school teaches what, by which route,
and every date below are typed for the demo: all records are flagged `is_demo`
and will be replaced by the ONISEP/RNCP imports. Loading is idempotent.

The skill blocks are typed too, after the RNCP's shape (the trade's blocks, then
the general-education ones a CAP shares with the others), and coded as the RNCP
codes them so that an import updates them in place; two continuing-education
courses prepare one block each.
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
        "rncp_code": "RNCP38712",
        "cfd_code": "50024323",
        "onisep_id": "FOR.9902",
        "diploma_type": DiplomaType.CAP,
        "level": 3,
        "nsf_code": "243",
        "rome_codes": "B1802",
        "description": "Le titulaire du CAP prépare, coupe et assemble les pièces de cuir "
        "d'un article de maroquinerie (sac, portefeuille, ceinture), à la main et à la machine.",
    },
    {
        "slug": "bac-pro-metiers-du-cuir-option-maroquinerie",
        "title": "Bac pro Métiers du cuir option maroquinerie",
        "rncp_code": "RNCP37230",
        "cfd_code": "40024302",
        "onisep_id": "FOR.6046",
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
        "rncp_code": "RNCP39037",
        "cfd_code": "50024318",
        "onisep_id": "FOR.1499",
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
        "rncp_code": "RNCP36776",
        "cfd_code": "32024305",
        "onisep_id": "FOR.6039",
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

# Blocks typed for the demo after the shape of the RNCP's: the trade's own blocks
# in full, then the general-education ones a CAP or a bac pro shares with the
# others (so that the comparison shows what two certifications have in common).
# (title, skills one a line, assessment)
PSE = (
    "Prévention-santé-environnement",
    "Analyser une situation de travail sous l'angle de la santé et de la sécurité\n"
    "Proposer des mesures de prévention adaptées au poste (gestes et postures, "
    "produits de finition, machines)",
    "Épreuve écrite d'une heure ou contrôle en cours de formation (démo).",
)
FRENCH_HISTORY = (
    "Français, histoire-géographie et enseignement moral et civique",
    "Lire, comprendre et rédiger un texte en lien avec la vie professionnelle\n"
    "Situer une question dans le temps et l'espace",
    "Contrôle en cours de formation ou épreuve écrite et orale (démo).",
)
MATHS_SCIENCE = (
    "Mathématiques et physique-chimie",
    "Calculer des surfaces, des consommations de matière et des coûts\n"
    "Mener une démarche expérimentale simple",
    "Contrôle en cours de formation ou épreuve écrite (démo).",
)
SKILL_BLOCKS = {
    "cap-maroquinerie": [
        (
            "Préparation d'une fabrication en maroquinerie",
            "Décoder un dossier technique et une fiche de fabrication\n"
            "Choisir les peaux et les matériaux souples selon le modèle\n"
            "Organiser son poste de travail et préparer les outils de coupe",
            "Épreuve pratique en atelier et entretien devant un jury (démo).",
        ),
        (
            "Réalisation d'un article de maroquinerie",
            "Couper à la main et à la presse en tenant compte des défauts de la peau\n"
            "Parer, refendre et préparer les bords\n"
            "Assembler par piqûre machine et piqûre sellier à la main\n"
            "Contrôler la qualité de l'article fini",
            "Épreuve pratique de 16 heures en atelier (démo).",
        ),
        FRENCH_HISTORY,
        MATHS_SCIENCE,
        PSE,
    ],
    "bac-pro-metiers-du-cuir-option-maroquinerie": [
        (
            "Étude et préparation d'une fabrication en maroquinerie",
            "Analyser un modèle et son dossier technique\n"
            "Établir la gamme de montage et les temps de fabrication\n"
            "Optimiser le placement des pièces sur la peau",
            "Épreuve écrite et pratique (démo).",
        ),
        (
            "Réalisation et contrôle d'un prototype ou d'une série",
            "Couper, parer, refendre et filetter\n"
            "Assembler par piqûre machine et piqûre sellier à la main\n"
            "Monter, garnir et finir les bords (teinture de tranche)\n"
            "Contrôler la conformité et proposer des améliorations",
            "Épreuve pratique en atelier et contrôle en entreprise (démo).",
        ),
        FRENCH_HISTORY,
        MATHS_SCIENCE,
        PSE,
    ],
    "cap-sellerie-generale": [
        (
            "Préparation d'un ouvrage de sellerie",
            "Relever les formes et les côtes d'un siège ou d'un habitacle\n"
            "Établir les gabarits et choisir les matériaux (cuir, textile, mousses)",
            "Épreuve pratique (démo).",
        ),
        (
            "Réalisation d'un garnissage ou d'une sellerie",
            "Couper et assembler à la machine plate et à bras\n"
            "Garnir, tendre et fixer les revêtements\n"
            "Réaliser les coutures apparentes et la piqûre sellier décorative",
            "Épreuve pratique de 14 heures (démo).",
        ),
        FRENCH_HISTORY,
        MATHS_SCIENCE,
        PSE,
    ],
    "cap-sellier-harnacheur": [
        (
            "Préparation d'un article de sellerie équestre",
            "Prendre les mesures d'un cheval et d'un cavalier\n"
            "Choisir les cuirs de selle et de bride",
            "Épreuve pratique (démo).",
        ),
        (
            "Fabrication et réparation de selles et de harnais",
            "Tailler, parer et cambrer les cuirs\n"
            "Coudre à la main au point sellier, à deux aiguilles (piqûre sellier)\n"
            "Rembourrer et monter une selle, réparer un harnais",
            "Épreuve pratique de 18 heures (démo).",
        ),
        FRENCH_HISTORY,
        PSE,
    ],
    "bma-bijou-option-bijouterie-joaillerie": [
        (
            "Conception et réalisation d'un bijou",
            "Lire un dessin technique et une gouache\n"
            "Scier, limer, souder et mettre en forme les métaux précieux\n"
            "Sertir les pierres (serti griffe, clos, grain)",
            "Épreuve pratique de 30 heures (démo).",
        ),
        (
            "Réalisation de pièces de bijouterie pour la maroquinerie de luxe",
            "Fabriquer fermoirs, boucles et bijoux de sac\n"
            "Polir et contrôler l'aspect avant traitement de surface",
            "Épreuve pratique (démo).",
        ),
        (
            "Arts appliqués et histoire de l'art",
            "Analyser un bijou ou un objet d'art dans son époque",
            "Épreuve écrite et graphique (démo).",
        ),
    ],
    "bts-metiers-de-la-mode-chaussure-et-maroquinerie": [
        (
            "Développement et industrialisation d'un produit",
            "Réaliser le patronage et la gradation d'un modèle\n"
            "Mettre au point un prototype et sa gamme de montage",
            "Épreuve pratique et soutenance (démo).",
        ),
        (
            "Gestion de la production",
            "Planifier une série et suivre sa qualité\nCalculer un coût de revient",
            "Épreuve écrite (démo).",
        ),
        (
            "Culture de la mode et arts appliqués",
            "Situer une collection dans les tendances de la mode",
            "Épreuve orale (démo).",
        ),
    ],
    "dn-made-mention-materiaux": [
        (
            "Création et mise en œuvre des matériaux",
            "Expérimenter le cuir, le textile et le métal dans un projet de design\n"
            "Réaliser une maquette et un prototype",
            "Contrôle continu et soutenance du projet (démo).",
        ),
        (
            "Culture du design et des métiers d'art",
            "Analyser une œuvre, un objet ou un savoir-faire",
            "Contrôle continu (démo).",
        ),
    ],
    "licence-pro-metiers-de-la-mode": [
        (
            "Pilotage du développement de produits de maroquinerie",
            "Conduire le développement d'une collection avec les ateliers\n"
            "Valider les prototypes et la faisabilité industrielle",
            "Contrôle continu et mémoire d'apprentissage (démo).",
        ),
        (
            "Management d'une équipe de production",
            "Organiser le travail d'un atelier et former les opérateurs\n"
            "Améliorer la qualité et les délais",
            "Contrôle continu (démo).",
        ),
    ],
}

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
    (
        "greta-21",
        "cap-sellier-harnacheur",
        Route.CONTINUING,
        "6 semaines (210 heures)",
        8,
    ),
    (
        "cfa-pays-de-montbeliard",
        "cap-maroquinerie",
        Route.CONTINUING,
        "10 semaines (350 heures)",
        10,
    ),
]
# Short continuing-education courses preparing one block (its order, from 1).
OFFERING_BLOCKS = {
    ("greta-21", "cap-sellier-harnacheur", Route.CONTINUING): [2],
    ("cfa-pays-de-montbeliard", "cap-maroquinerie", Route.CONTINUING): [2],
}

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
        fields = {k: v for k, v in data.items() if k != "slug"}
        certification, _ = Certification.objects.update_or_create(
            slug=data["slug"], defaults={**fields, "is_demo": True}
        )
        certifications[data["slug"]] = certification
        # An imported certification keeps the blocks its source gave.
        if not certification.source:
            load_demo_blocks(certification, SKILL_BLOCKS[data["slug"]])
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in={row[0] for row in OFFERINGS})
    }
    for org_slug, cert_slug, route, duration, capacity in OFFERINGS:
        offering, _ = Offering.objects.update_or_create(
            organisation=organisations[org_slug],
            certification=certifications[cert_slug],
            route=route,
            defaults={
                "duration": duration,
                "capacity": capacity,
                "start_dates": START_DATES[route],
                "how_to_apply": APPLICATIONS[route],
                "is_published": True,
                "is_demo": True,
            },
        )
        orders = OFFERING_BLOCKS.get((org_slug, cert_slug, route), [])
        offering.skill_blocks.set(
            offering.certification.skill_blocks.filter(order__in=orders)
        )
    return len(OFFERINGS)


def load_demo_blocks(certification, blocks) -> None:
    """The demo blocks of a demo certification, coded as the RNCP codes its blocks."""
    for order, (title, skills, assessment) in enumerate(blocks, start=1):
        code = (
            f"{certification.rncp_code}BC{order:02d}" if certification.rncp_code else ""
        )
        block, _ = SkillBlock.objects.get_or_create(
            certification=certification, order=order, defaults={"title": title}
        )
        block.code, block.title = code, title
        block.skills, block.assessment = skills, assessment
        block.save()
    certification.skill_blocks.filter(order__gt=len(blocks)).delete()
