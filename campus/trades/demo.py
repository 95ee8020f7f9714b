"""Demo trades, know-how and showcase of the leather sector.

The métiers d'art domains and trade names come from the official list
(campus.trades.reference). Every description, holder, assessment, action and
image below is typed or drawn for the demo and flagged `is_demo`; the ROME codes
are the real ones of the référentiel v460.
"""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from campus.accounts.models import User
from campus.network.models import Organisation
from campus.trades.models import (
    ActionKind,
    ActionStatus,
    AgeBand,
    Holder,
    HolderKind,
    KnowHow,
    ShowcaseItem,
    Trade,
    TransmissionAction,
)
from campus.trades.services import (
    load_craft_reference,
    record_assessment,
    save_showcase_item,
)

TRADES = {
    "maroquinier": (
        "Il conçoit et fabrique sacs, petite maroquinerie et ceintures, de la coupe du cuir à la finition des tranches.",
        "Le maroquinier choisit les peaux, trace et coupe les pièces, les pare (amincit), "
        "les assemble par collage et couture, puis finit les tranches à la teinture et à la cire.\n\n"
        "En Bourgogne-Franche-Comté, les manufactures de maroquinerie de luxe recrutent et "
        "forment de nombreux apprentis, du CAP au brevet des métiers d'art.",
        ["atelier-cuir-auxois", "lycee-eugene-guillaume-montbard"],
    ),
    "sellier-harnacheur": (
        "Il fabrique et répare selles, harnais et articles d'équitation, souvent entièrement cousus main.",
        "Le sellier-harnacheur travaille des cuirs épais qu'il coupe, refend, coud au point "
        "sellier et finit à la main. Il monte les selles sur leur arçon et ajuste les "
        "harnais au cheval et à son cavalier.",
        ["sellerie-auxerrois"],
    ),
    "gainier": (
        "Il recouvre de cuir ou de papier des coffrets, écrins et objets de luxe.",
        "Le gainier habille des structures de bois ou de carton avec du cuir paré très fin, "
        "puis le décore parfois au fer à dorer. Ses écrins protègent bijoux, montres et "
        "instruments.",
        ["atelier-cuir-auxois"],
    ),
    "malletier": (
        "Il fabrique des malles et bagages rigides, de la caisse en bois au gainage et aux ferrures.",
        "Le malletier assemble la caisse, la gaine de toile ou de cuir, pose les renforts, "
        "serrures et poignées, puis réalise l'aménagement intérieur sur mesure.",
        ["atelier-cuir-auxois"],
    ),
    "tanneur": (
        "Il transforme les peaux brutes en cuir, par un tannage végétal ou minéral.",
        "Le tanneur prépare les peaux (reverdissage, épilage, écharnage), les tanne puis les "
        "nourrit et les sèche. Le tannage végétal en fosse, long de plusieurs mois, est devenu rare.",
        [],
    ),
    "megissier": (
        "Il tanne les peaux de petits animaux (agneau, chevreau) pour la ganterie et la mode.",
        "Le mégissier travaille des peaux fines et souples, destinées aux gants, aux "
        "chaussures et aux vêtements.",
        [],
    ),
    "parcheminier": (
        "Il prépare le parchemin et le vélin à partir de peaux non tannées.",
        "Le parcheminier trempe, épile, tend et ponce les peaux jusqu'à obtenir une feuille "
        "fine et régulière, pour la reliure, la restauration et les instruments.",
        [],
    ),
}

EXTRA_TRADES = [
    (
        "fabricant-de-bijoux-de-sac",
        "Fabricant de bijoux de sac",
        "B1603, B1601",
        "Il fabrique fermoirs, boucles et ornements métalliques des sacs de luxe.",
        "Les métiers du métal de la maroquinerie : découpe, emboutissage, polissage et "
        "galvanoplastie des pièces en laiton qui ornent et ferment les sacs.",
        ["bijoux-de-sac-doubs"],
    ),
    (
        "sellier-garnisseur",
        "Sellier-garnisseur",
        "B1811",
        "Il habille de cuir et de tissu les sièges et intérieurs de véhicules, bateaux et avions.",
        "Le sellier-garnisseur prend les mesures, coupe, coud et pose les garnitures en cuir "
        "ou en tissu, souvent en petite série ou à l'unité.",
        ["sellerie-auxerrois"],
    ),
    (
        "prototypiste-en-maroquinerie",
        "Prototypiste en maroquinerie",
        "H2411",
        "Il réalise le premier exemplaire d'un modèle de sac et en prépare la fabrication.",
        "À partir du dessin du styliste, le prototypiste établit les patrons, monte le "
        "prototype et définit les étapes de fabrication pour l'atelier.",
        ["atelier-cuir-auxois"],
    ),
]

# name, slug, description, trade slugs, holders, assessments, actions
KNOW_HOWS = [
    {
        "slug": "tannage-vegetal-en-fosse",
        "name": "Tannage végétal en fosse",
        "description": "Tanner les peaux plusieurs mois dans des fosses de jus d'écorces (chêne, châtaignier). "
        "Le cuir obtenu, ferme et nourri, est recherché pour la sellerie et les semelles.",
        "trades": ["tanneur"],
        "holders": [
            (HolderKind.EPV, "Tannerie familiale (démo)", AgeBand.OVER_65, True),
            (
                HolderKind.ARTISAN,
                "Artisan tanneur (démo)",
                AgeBand.FROM_55_TO_64,
                False,
            ),
        ],
        "assessments": [
            (date(2025, 3, 1), 4, 2, 1, 1, "Premier recensement."),
            (date(2026, 3, 1), 2, 2, 0, 0, "Un détenteur a cessé son activité."),
        ],
        "actions": [
            (
                ActionKind.DOCUMENTATION,
                "Film des gestes du tannage en fosse",
                ActionStatus.DONE,
                date(2025, 10, 1),
                0,
                "Film de 20 minutes déposé au centre de ressources du campus.",
            )
        ],
    },
    {
        "slug": "couture-sellier-main",
        "name": "Couture sellier à la main",
        "description": "Coudre le cuir à deux aiguilles au point sellier, fil de lin poissé, "
        "après avoir marqué les points à la roulette et percé à l'alêne.",
        "trades": ["sellier-harnacheur", "maroquinier", "malletier"],
        "holders": [
            (
                HolderKind.COMPANY,
                "",
                AgeBand.NOT_APPLICABLE,
                True,
                "atelier-cuir-auxois",
            ),
            (
                HolderKind.COMPANY,
                "",
                AgeBand.NOT_APPLICABLE,
                True,
                "sellerie-auxerrois",
            ),
            (
                HolderKind.MASTER,
                "Maître d'art sellier (démo)",
                AgeBand.FROM_55_TO_64,
                True,
            ),
        ],
        "assessments": [
            (date(2026, 2, 1), 18, 5, 6, 3, "Savoir-faire enseigné en CAP.")
        ],
        "actions": [],
    },
    {
        "slug": "gainerie-ecrin-cuir",
        "name": "Gainerie d'écrins en cuir paré",
        "description": "Parer le cuir jusqu'à quelques dixièmes de millimètre et l'appliquer sur un "
        "écrin sans pli ni bulle, angles compris.",
        "trades": ["gainier"],
        "holders": [
            (HolderKind.ARTISAN, "Gainière (démo)", AgeBand.FROM_55_TO_64, True),
            (HolderKind.ARTISAN, "Gainier (démo)", AgeBand.OVER_65, False),
            (HolderKind.ARTISAN, "Jeune gainière (démo)", AgeBand.UNDER_40, True),
            (
                HolderKind.COMPANY,
                "",
                AgeBand.NOT_APPLICABLE,
                True,
                "atelier-cuir-auxois",
            ),
        ],
        "assessments": [
            (date(2025, 1, 15), 3, 2, 0, 0, ""),
            (
                date(2026, 1, 15),
                4,
                2,
                1,
                0,
                "Une apprentie formée auprès d'une gainière.",
            ),
        ],
        "actions": [
            (
                ActionKind.APPRENTICESHIP,
                "Apprentissage auprès d'une gainière",
                ActionStatus.IN_PROGRESS,
                date(2025, 9, 1),
                1,
                "Une apprentie en deuxième année ; premiers écrins vendus.",
            )
        ],
    },
    {
        "slug": "parcheminerie",
        "name": "Fabrication du parchemin",
        "description": "Préparer une peau non tannée, la tendre sur un cadre et la poncer jusqu'à "
        "une feuille translucide et régulière.",
        "trades": ["parcheminier"],
        "holders": [
            (HolderKind.ARTISAN, "Parcheminier (démo)", AgeBand.OVER_65, False)
        ],
        "assessments": [
            (date(2026, 4, 1), 1, 1, 0, 0, "Dernier atelier connu de la région.")
        ],
        "actions": [],
    },
    {
        "slug": "fermoirs-laiton-cisele",
        "name": "Fermoirs en laiton ciselé",
        "description": "Ciseler et polir à la main les fermoirs et ornements de sacs en laiton avant leur dorure.",
        "trades": ["fabricant-de-bijoux-de-sac"],
        "holders": [
            (
                HolderKind.COMPANY,
                "",
                AgeBand.NOT_APPLICABLE,
                True,
                "bijoux-de-sac-doubs",
            ),
            (HolderKind.ARTISAN, "Ciseleur (démo)", AgeBand.FROM_40_TO_54, False),
            (HolderKind.ARTISAN, "Ciseleuse (démo)", AgeBand.FROM_55_TO_64, False),
        ],
        "assessments": [(date(2026, 5, 1), 5, 1, 2, 1, "")],
        "actions": [
            (
                ActionKind.WORKSHOP,
                "Atelier de ciselure pour les élèves de CAP",
                ActionStatus.DONE,
                date(2026, 3, 10),
                14,
                "Quatorze élèves initiés ; deux demandes de stage.",
            )
        ],
    },
]

SHOWCASE = [
    (
        "atelier-cuir-auxois",
        "Sac cousu sellier",
        "Sac en cuir de veau, cousu main.",
        ["maroquinier"],
        (106, 52, 16),
    ),
    (
        "atelier-cuir-auxois",
        "Écrin gainé",
        "Écrin gainé de cuir bleu nuit.",
        ["gainier"],
        (28, 42, 84),
    ),
    (
        "bijoux-de-sac-doubs",
        "Fermoir ciselé",
        "Fermoir en laiton ciselé et doré.",
        ["fabricant-de-bijoux-de-sac"],
        (176, 132, 40),
    ),
]


def load_demo_trades() -> None:
    load_craft_reference()
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    assessor = User.objects.filter(email="equipe@campus.example").first()
    for slug, (summary, description, org_slugs) in TRADES.items():
        trade = Trade.objects.get(slug=slug)
        trade.summary, trade.description, trade.is_demo = summary, description, True
        trade.save()
        trade.organisations.set(
            [organisations[s] for s in org_slugs if s in organisations]
        )
    for slug, name, rome, summary, description, org_slugs in EXTRA_TRADES:
        trade, _ = Trade.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "rome_codes": rome,
                "summary": summary,
                "description": description,
                "is_demo": True,
            },
        )
        trade.organisations.set(
            [organisations[s] for s in org_slugs if s in organisations]
        )
    for spec in KNOW_HOWS:
        _load_know_how(spec, organisations, assessor)
    for org_slug, title, description, trade_slugs, colour in SHOWCASE:
        organisation = organisations.get(org_slug)
        if (
            organisation is None
            or organisation.showcase_items.filter(title=title).exists()
        ):
            continue
        item = ShowcaseItem(
            organisation=organisation,
            title=title,
            description=description,
            image_alt=f"{title} : {description[0].lower()}{description[1:]}",
            is_demo=True,
        )
        save_showcase_item(
            item,
            new_image=_demo_image(colour, title),
            trades=Trade.objects.filter(slug__in=trade_slugs),
        )


def _load_know_how(spec, organisations, assessor) -> None:
    know_how, _ = KnowHow.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "description": spec["description"],
            "is_demo": True,
        },
    )
    know_how.trades.set(Trade.objects.filter(slug__in=spec["trades"]))
    if not know_how.holders.exists():
        for kind, name, age_band, is_public, *org_slug in spec["holders"]:
            Holder.objects.create(
                know_how=know_how,
                kind=kind,
                name=name,
                organisation=organisations.get(org_slug[0]) if org_slug else None,
                age_band=age_band,
                is_public=is_public,
            )
    if not know_how.assessments.exists():
        for assessed_on, holders, seniors, trainees, trainings, comment in spec[
            "assessments"
        ]:
            record_assessment(
                know_how,
                holder_count=holders,
                senior_holder_count=seniors,
                trainee_count=trainees,
                training_count=trainings,
                assessed_on=assessed_on,
                comment=comment,
                acting_user=assessor,
            )
    for kind, title, status, started_on, participants, results in spec["actions"]:
        TransmissionAction.objects.update_or_create(
            know_how=know_how,
            title=title,
            defaults={
                "kind": kind,
                "status": status,
                "started_on": started_on,
                "participant_count": participants,
                "results": results,
            },
        )


def _demo_image(colour, title) -> SimpleUploadedFile:
    """A drawn placeholder: a leather-coloured panel with a saddle-stitch border."""
    image = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 90) for c in colour)
    for x in range(60, 1140, 36):
        draw.line([(x, 60), (x + 18, 60)], fill=light, width=6)
        draw.line([(x, 840), (x + 18, 840)], fill=light, width=6)
    for y in range(60, 840, 36):
        draw.line([(60, y), (60, y + 18)], fill=light, width=6)
        draw.line([(1140, y), (1140, y + 18)], fill=light, width=6)
    draw.ellipse([450, 300, 750, 600], outline=light, width=10)
    output = BytesIO()
    image.save(output, "PNG")
    return SimpleUploadedFile(
        f"{title}.png", output.getvalue(), content_type="image/png"
    )
