"""The demo campus: CMQ Maroquinerie et Métiers d'Art, Bourgogne-Franche-Comté.

Loading is idempotent (records are matched by slug or e-mail). Every organisation
created here is flagged `is_demo`: names, UAI and addresses of the real
establishments come from official directories, but their descriptions are typed
for the demo, and the companies are fictitious.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from campus.accounts.models import User
from campus.agenda.demo import load_demo_agenda
from campus.images import SHOWCASE_MAX_SIDE, reencoded_image
from campus.needs.demo import load_demo_needs
from campus.network.models import (
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    PartnershipStatus,
    Person,
)
from campus.news.demo import load_demo_news
from campus.newsletter.demo import load_demo_newsletter
from campus.observatory.demo import load_demo_observatory
from campus.observatory.models import IndicatorKey, KeyFigure
from campus.offers.demo import load_demo_offers
from campus.opendata.demo import load_demo_open_data
from campus.opendata.importers.base import ImportReport
from campus.outreach.demo import load_demo_outreach
from campus.places.models import Commune, Departement, Region
from campus.places.services import SHIPPED_FILE, load_communes
from campus.platforms.demo import load_demo_platforms
from campus.profiles.identity import favicon_png
from campus.profiles.models import CampusProfile, ReferenceLink, SectorProfile
from campus.reports.demo import load_demo_reports
from campus.surveys.demo import load_demo_surveys
from campus.talent.demo import load_demo_talent
from campus.trades.demo import _demo_image, load_demo_trades
from campus.trainings.demo import load_demo_trainings

DEMO_PASSWORD = "campus-demo-2026"

MISSIONS = {
    "mission_trades": (
        "Faire connaître les métiers du cuir, de la maroquinerie et de la bijouterie de sac, "
        "sauvegarder et transmettre les savoir-faire rares, sensibiliser les élèves aux métiers manuels."
    ),
    "mission_training": (
        "Rendre visibles toutes les formations de la filière, du CAP au diplôme supérieur, "
        "en voie scolaire, en apprentissage et en formation continue."
    ),
    "mission_talent": (
        "Accompagner les projets innovants, les concours, les résidences d'artistes et la "
        "mobilité européenne des apprenants."
    ),
    "mission_resources": (
        "Observer les métiers, l'emploi et la formation de la filière à partir des données "
        "publiques et faire dialoguer les acteurs."
    ),
}

LINKS = [
    (
        "Fédération française de la maroquinerie",
        "https://www.maroquinerie.fr/",
        "Organisation professionnelle de la filière",
    ),
    (
        "Conseil national du cuir",
        "https://conseilnationalducuir.org/",
        "Interprofession de la filière cuir",
    ),
    (
        "CTC",
        "https://www.ctcgroupe.com/",
        "Centre technique cuir, chaussure, maroquinerie",
    ),
]


@dataclass
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    insee_code: str | None = None
    address: str = ""
    uai: str = ""
    acronym: str = ""
    website: str = ""
    description: str = ""
    partnership: str = PartnershipStatus.PARTNER
    latitude: float | None = None
    longitude: float | None = None


ORGANISATIONS = [
    DemoOrganisation(
        "lycee-eugene-guillaume-montbard",
        "Lycée professionnel Eugène Guillaume",
        OrganisationKind.SECONDARY_SCHOOL,
        "21425",
        "12 avenue Maréchal de Lattre de Tassigny",
        uai="0210056X",
        description="Lycée des métiers de Montbard : formations aux métiers du cuir et de la maroquinerie, "
        "du CAP au baccalauréat professionnel, en lien étroit avec les manufactures de la région.",
        partnership=PartnershipStatus.FOUNDING,
        latitude=47.6227608,
        longitude=4.33997965,
    ),
    DemoOrganisation(
        "lycee-les-huisselets-montbeliard",
        "Lycée Les Huisselets",
        OrganisationKind.SECONDARY_SCHOOL,
        "25388",
        uai="0250067M",
        description="Lycée polyvalent de Montbéliard, partenaire du campus pour les "
        "formations de la mode, du cuir et des métiers d'art.",
        partnership=PartnershipStatus.FOUNDING,
    ),
    DemoOrganisation(
        "cfa-pays-de-montbeliard",
        "CFA du Pays de Montbéliard",
        OrganisationKind.CFA,
        "25388",
        uai="0251749R",
        description="Centre de formation d'apprentis : formations en alternance avec les entreprises "
        "de la maroquinerie et du travail des métaux.",
    ),
    DemoOrganisation(
        "ema",
        "EMA",
        OrganisationKind.TRAINING_BODY,
        acronym="EMA",
        description="Établissement de formation partenaire du campus (fiche à compléter par l'établissement).",
    ),
    DemoOrganisation(
        "greta-21",
        "GRETA 21",
        OrganisationKind.TRAINING_BODY,
        "21603",
        "9 rue des Perdrix",
        description="Formation continue des adultes en Côte-d'Or, dont des parcours vers les métiers "
        "de la maroquinerie.",
    ),
    DemoOrganisation(
        "federation-francaise-maroquinerie",
        "Fédération française de la maroquinerie",
        OrganisationKind.FEDERATION,
        website="https://www.maroquinerie.fr/",
        address="Paris",
        description="Organisation professionnelle des fabricants de maroquinerie, articles de voyage, "
        "chasse, sellerie, ceintures et bracelets.",
    ),
    DemoOrganisation(
        "conseil-national-du-cuir",
        "Conseil national du cuir",
        OrganisationKind.FEDERATION,
        website="https://conseilnationalducuir.org/",
        address="Paris",
        acronym="CNC",
        description="Interprofession qui fédère les métiers de la filière cuir, de l'élevage à la distribution.",
    ),
    DemoOrganisation(
        "ctc",
        "CTC",
        OrganisationKind.TECHNOLOGY_PLATFORM,
        website="https://www.ctcgroupe.com/",
        address="Lyon",
        description="Centre technique industriel du cuir, de la chaussure et de la "
        "maroquinerie : essais, certification, innovation.",
    ),
    DemoOrganisation(
        "region-bourgogne-franche-comte",
        "Région Bourgogne-Franche-Comté",
        OrganisationKind.INSTITUTIONAL,
        "21231",
        partnership=PartnershipStatus.FOUNDING,
        description="Co-pilote du campus avec le rectorat.",
    ),
    DemoOrganisation(
        "atelier-cuir-auxois",
        "Atelier Cuir de l'Auxois (démo)",
        OrganisationKind.COMPANY,
        "21425",
        description="Entreprise fictive de démonstration : manufacture de maroquinerie de luxe, 120 salariés.",
    ),
    DemoOrganisation(
        "bijoux-de-sac-doubs",
        "Bijoux de sac du Doubs (démo)",
        OrganisationKind.COMPANY,
        "25056",
        description="Entreprise fictive de démonstration : fabrication de fermoirs et bijoux de sac en laiton.",
    ),
    DemoOrganisation(
        "sellerie-auxerrois",
        "Sellerie de l'Auxerrois (démo)",
        OrganisationKind.COMPANY,
        "89024",
        description="Entreprise fictive de démonstration : sellerie-harnachement artisanale.",
        partnership=PartnershipStatus.PROSPECT,
    ),
]

USERS = [
    ("equipe@campus.example", "Équipe du campus (démo)", True, []),
    (
        "editeur.lycee@campus.example",
        "Camille Éditrice (démo)",
        False,
        [("lycee-eugene-guillaume-montbard", MemberRole.EDITOR)],
    ),
    (
        "lecteur.lycee@campus.example",
        "Dominique Lecteur (démo)",
        False,
        [("lycee-eugene-guillaume-montbard", MemberRole.VIEWER)],
    ),
    (
        "editeur.entreprise@campus.example",
        "Sacha Artisan (démo)",
        False,
        [
            ("atelier-cuir-auxois", MemberRole.EDITOR),
            ("bijoux-de-sac-doubs", MemberRole.EDITOR),
        ],
    ),
]


def load_demo_campus() -> list[tuple[str, str]]:
    """Loads the demo campus and returns the demo accounts (e-mail, description)."""
    with SHIPPED_FILE.open(encoding="utf-8-sig", newline="") as stream:
        load_communes(stream, report=ImportReport())
    with transaction.atomic():
        _load_profiles()
        _load_organisations()
        accounts = _load_users()
        load_demo_trainings()
        load_demo_trades()
        load_demo_outreach()
        load_demo_agenda()
        load_demo_needs()
        load_demo_surveys()
        load_demo_reports()
        KeyFigure.objects.update_or_create(
            label="salariés de la maroquinerie (y compris bijouterie de sac)",
            defaults={
                "value": Decimal("4500"),
                "unit": "salariés",
                "period": "2020/2021",
                "territory": "Bourgogne-Franche-Comté",
                "source_label": "CMQ Maroquinerie et Métiers d'Art, présentation du campus",
                "order": 1,
                # Computed beside it once the Urssaf file is imported.
                "indicator_key": IndicatorKey.SALARIED_HEADCOUNT,
            },
        )
        KeyFigure.objects.update_or_create(
            label="offres de formation de la filière",
            defaults={
                "value": None,
                "unit": "offres",
                "order": 2,
                "indicator_key": IndicatorKey.OFFERINGS,
                "is_demo": True,
            },
        )
        load_demo_observatory()
        load_demo_news()
        load_demo_offers()
        load_demo_talent()
        accounts += load_demo_platforms()
        # Last: the demo issue picks the demo's news and events.
        load_demo_newsletter()
    # After the organisations, whose UAI keep the network's rows; outside the
    # transaction above: each import records its run in its own.
    load_demo_open_data()
    return accounts


def _load_profiles() -> None:
    region = Region.objects.get(code="27")
    campus = CampusProfile.load()
    campus.name = (
        "Campus des métiers et des qualifications Maroquinerie et Métiers d'Art"
    )
    campus.short_name = "CMQ Maroquinerie et Métiers d'Art"
    campus.tagline = (
        "Le réseau des écoles, centres de formation, entreprises et partenaires de la "
        "maroquinerie et des métiers d'art en Bourgogne-Franche-Comté."
    )
    campus.label_decree_date = date(2017, 2, 9)
    campus.region = region
    campus.director_name = "Direction opérationnelle (démo)"
    campus.contact_email = "contact@campus.example"
    campus.contact_phone = "03 00 00 00 00"
    campus.publisher_name = "Direction opérationnelle du campus (démo)"
    campus.host_name = "Démonstration locale"
    campus.is_demo = True
    for field, text in MISSIONS.items():
        setattr(campus, field, text)
    if not campus.logo:
        # Drawn for the demo, like its showcase: a badge with the campus's initials.
        campus.logo.save(
            "logo-demo.png", ContentFile(favicon_png("CMQ", size=240)), save=False
        )
        campus.logo_alt = "CMQ"
    if not campus.main_image:
        image = reencoded_image(
            _demo_image((106, 52, 16), "campus-demo"), max_side=SHOWCASE_MAX_SIDE
        )
        campus.main_image.save(image.name, image, save=False)
        campus.main_image_alt = (
            "Image de démonstration : un panneau couleur cuir bordé d'une couture "
            "sellier."
        )
    campus.save()
    campus.departements.set(Departement.objects.filter(region=region))
    for order, (label, url, description) in enumerate(LINKS):
        ReferenceLink.objects.update_or_create(
            campus=campus,
            label=label,
            defaults={"url": url, "description": description, "order": order},
        )
    sector = SectorProfile.load()
    sector.name = "Maroquinerie et métiers d'art"
    sector.description = (
        "Cuir, maroquinerie, sellerie, bijouterie de sac et métiers d'art associés."
    )
    sector.naf_codes = "15.11Z, 15.12Z, 14.11Z, 32.12Z, 32.13Z, 25.99B"
    sector.rome_codes = "B1802, H2401, H2407, H2411, H2414, H1240, B1601, B1603, B1605"
    sector.nsf_codes = "243, 242, 134, 223"
    sector.keywords = "maroquinerie, cuir, sellerie, sellier, gainier, malletier, bijou de sac, métiers d'art"
    sector.synonyms = "\n".join(
        [
            "alternance = apprentissage",
            "sac → maroquinerie",
            "bijou → bijouterie",
            "cuir → maroquinerie, sellerie",
            "portefeuille → maroquinerie",
            "selle → sellerie",
            "chaussure → cordonnerie",
            "adulte → formation continue",
        ]
    )
    sector.diploma_titles = "CAP Maroquinerie\nBac pro Métiers du cuir option maroquinerie\nCAP Sellerie générale\nDN MADe"
    sector.save()


def _load_organisations() -> None:
    communes = {
        c.insee_code: c
        for c in Commune.objects.filter(
            insee_code__in=[o.insee_code for o in ORGANISATIONS if o.insee_code]
        )
    }
    for demo in ORGANISATIONS:
        commune = communes.get(demo.insee_code) if demo.insee_code else None
        organisation = Organisation.objects.filter(
            slug=demo.slug
        ).first() or Organisation(slug=demo.slug)
        organisation.name = demo.name
        organisation.kind = demo.kind
        organisation.acronym = demo.acronym
        organisation.uai = demo.uai
        organisation.address = demo.address
        organisation.commune = commune
        organisation.postal_code = commune.main_postal_code if commune else ""
        organisation.website = demo.website
        organisation.description = demo.description
        organisation.partnership_status = demo.partnership
        organisation.partner_since = (
            date(2017, 2, 9) if demo.partnership == PartnershipStatus.FOUNDING else None
        )
        organisation.latitude, organisation.longitude = demo.latitude, demo.longitude
        organisation.is_published = True
        organisation.is_demo = True
        organisation.save()
    school = Organisation.objects.get(slug="lycee-eugene-guillaume-montbard")
    Person.objects.update_or_create(
        organisation=school,
        full_name="Référent campus (démo)",
        defaults={
            "role": "Directeur délégué aux formations",
            "email": "ddfpt@campus.example",
            "is_public": True,
        },
    )


def _load_users() -> list[tuple[str, str]]:
    accounts = []
    for email, full_name, is_team, memberships in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, full_name=full_name, is_staff=is_team
            )
        for slug, role in memberships:
            Membership.objects.update_or_create(
                user=user,
                organisation=Organisation.objects.get(slug=slug),
                defaults={"role": role},
            )
        what = (
            "équipe du campus"
            if is_team
            else ", ".join(
                f"{MemberRole(role).label.lower()} de {slug}"
                for slug, role in memberships
            )
        )
        accounts.append((email, what))
    return accounts
