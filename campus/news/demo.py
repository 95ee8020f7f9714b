"""Demo news of the leather campus: a few believable articles, all flagged `is_demo`.

The facts are typed for the demo (no real class opened, no agreement was signed);
the JEMA, the Journées européennes des métiers d'art, do take place each spring.
One article is scheduled ahead (not public yet) and one waits for the team, so the
moderation screens have something to show. Articles are matched by slug: loading
twice changes the dates and texts, never adds a row.
"""

from datetime import timedelta

from django.utils import timezone

from campus.accounts.models import User
from campus.agenda.models import Event, EventKind
from campus.images import SHOWCASE_MAX_SIDE, reencoded_image
from campus.moderation import ModerationStatus
from campus.network.models import Organisation
from campus.news.models import Article, Category
from campus.trades.demo import _demo_image
from campus.trades.models import Trade

CATEGORIES = [
    ("formations", "Formations"),
    ("evenements", "Événements"),
    ("entreprises", "Entreprises et ateliers"),
    ("partenariats", "Partenariats"),
]

# slug, title, summary, body, organisation (None: the team), categories, trades,
# organisations mentioned, days since publication (negative: scheduled), status,
# image colour and its text alternative (or None).
ARTICLES = [
    (
        "ouverture-cap-maroquinerie-montbard",
        "Une nouvelle classe de CAP Maroquinerie ouvre à Montbard",
        "À la rentrée prochaine, le lycée Eugène Guillaume accueille une classe de "
        "CAP Maroquinerie de quinze places, en voie scolaire et en apprentissage.",
        "Le lycée professionnel Eugène Guillaume ouvre une **classe de CAP "
        "Maroquinerie** à la rentrée prochaine.\n\n"
        "## Quinze places, deux voies\n\n"
        "- douze places en voie scolaire ;\n"
        "- trois places en apprentissage, avec les ateliers partenaires du campus.\n\n"
        "Les candidatures passent par Affelnet pour les élèves de 3e. Les adultes "
        "en reconversion peuvent se renseigner auprès du lycée.\n\n"
        "Retrouvez la formation dans le [catalogue du campus](/formations/).",
        "lycee-eugene-guillaume-montbard",
        ["formations"],
        ["maroquinier"],
        ["lycee-eugene-guillaume-montbard"],
        12,
        ModerationStatus.PUBLISHED,
        (
            (106, 52, 16),
            "Image de démonstration : un panneau couleur cuir bordé d'une couture "
            "sellier.",
        ),
    ),
    (
        "jema-ateliers-portes-ouvertes",
        "Journées européennes des métiers d'art : les ateliers ouvrent leurs portes",
        "Pendant les JEMA, les ateliers et les écoles du réseau montrent leurs "
        "savoir-faire : démonstrations de couture sellier, de gainerie et de "
        "fabrication de fermoirs.",
        "Chaque printemps, les **Journées européennes des métiers d'art** invitent "
        "le public dans les ateliers.\n\n"
        "Cette année, le campus coordonne le programme de la filière cuir en "
        "Bourgogne-Franche-Comté : ateliers ouverts, démonstrations et rencontres "
        "avec les apprentis.\n\n"
        "Le programme détaillé sera publié dans l'agenda du campus.",
        None,
        ["evenements"],
        ["maroquinier", "sellier-harnacheur", "gainier"],
        ["atelier-cuir-auxois", "bijoux-de-sac-doubs"],
        5,
        ModerationStatus.PUBLISHED,
        None,
    ),
    (
        "atelier-decouverte-atelier-cuir-auxois",
        "Un atelier découverte de la maroquinerie pour les collégiens",
        "L'Atelier Cuir de l'Auxois accueille des classes de 4e et de 3e pour une "
        "matinée de découverte : coupe, piqûre et montage d'un porte-cartes.",
        "Une matinée pour **fabriquer un porte-cartes** de A à Z, guidés par les "
        "artisans de l'atelier.\n\n"
        "1. Choix et coupe du cuir\n"
        "2. Piqûre à la machine et à la main\n"
        "3. Teinture des tranches et finition\n\n"
        "Les enseignants peuvent [demander une intervention](/decouvrir/) à "
        "l'équipe du campus.",
        "atelier-cuir-auxois",
        ["entreprises"],
        ["maroquinier"],
        [],
        20,
        ModerationStatus.PUBLISHED,
        (
            (70, 40, 20),
            "Image de démonstration : un panneau brun foncé avec un cercle cousu "
            "au centre.",
        ),
    ),
    (
        "partenariat-federation-apprentissage",
        "Le campus et la Fédération signent un partenariat pour l'apprentissage",
        "Le campus et la Fédération française de la maroquinerie s'engagent à "
        "faire connaître l'apprentissage dans les ateliers de la région.",
        "La convention signée prévoit :\n\n"
        "- des visites d'ateliers pour les élèves de collège ;\n"
        "- un relais des offres d'apprentissage des entreprises ;\n"
        "- la participation des professionnels aux jurys d'examen.\n\n"
        "> « Les ateliers recrutent : faisons connaître leurs métiers. »",
        None,
        ["partenariats"],
        [],
        ["federation-francaise-maroquinerie"],
        40,
        ModerationStatus.PUBLISHED,
        None,
    ),
    (
        "portes-ouvertes-lycee-huisselets",
        "Portes ouvertes au lycée Les Huisselets",
        "Le lycée Les Huisselets présente ses formations aux métiers du cuir lors "
        "de sa journée portes ouvertes.",
        "Venez rencontrer les enseignants et les élèves de la section cuir, et "
        "visiter les ateliers.",
        None,
        ["evenements", "formations"],
        ["maroquinier"],
        ["lycee-les-huisselets-montbeliard"],
        -10,
        ModerationStatus.PUBLISHED,
        None,
    ),
    (
        "nouvelle-collection-fermoirs",
        "Une collection de fermoirs ciselés à la main",
        "Bijoux de sac du Doubs présente sa nouvelle collection de fermoirs en "
        "laiton, ciselés et dorés dans son atelier de Besançon.",
        "Douze modèles, du fermoir à baïonnette au cadenas décoratif.",
        "bijoux-de-sac-doubs",
        ["entreprises"],
        [],
        [],
        None,
        ModerationStatus.SUBMITTED,
        None,
    ),
]


def load_demo_news() -> None:
    categories = {}
    for slug, name in CATEGORIES:
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name}
        )
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    team = User.objects.filter(email="equipe@campus.example").first()
    partner = User.objects.filter(email="editeur.entreprise@campus.example").first()
    now = timezone.now()
    for (
        slug,
        title,
        summary,
        body,
        organisation_slug,
        category_slugs,
        trade_slugs,
        mentioned,
        days_ago,
        status,
        image,
    ) in ARTICLES:
        organisation = organisations.get(organisation_slug)
        if organisation_slug and organisation is None:
            continue
        article, _ = Article.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": body,
                "organisation": organisation,
                "status": status,
                "published_at": None
                if days_ago is None
                else now - timedelta(days=days_ago),
                "author": team if organisation is None else None,
                "submitted_by": partner
                if status == ModerationStatus.SUBMITTED
                else None,
                "decided_by": team if status == ModerationStatus.PUBLISHED else None,
                "is_demo": True,
            },
        )
        if image and not article.image:
            colour, alt = image
            content = reencoded_image(
                _demo_image(colour, slug), max_side=SHOWCASE_MAX_SIDE
            )
            article.image.save(content.name, content, save=False)
            article.image_alt = alt
            article.save(update_fields=["image", "image_alt"])
        article.categories.set([categories[c] for c in category_slugs])
        article.trades.set(Trade.objects.filter(slug__in=trade_slugs))
        article.organisations.set(
            [organisations[s] for s in mentioned if s in organisations]
        )
    # The agenda's demo, loaded before the news, holds the JEMA workshops.
    jema = Article.objects.filter(slug="jema-ateliers-portes-ouvertes").first()
    if jema is not None:
        jema.events.set(
            Event.objects.published().filter(is_demo=True, kind=EventKind.JEMA)
        )
