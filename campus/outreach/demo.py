"""Demo outreach: discovery placements, resources for teachers, one request done.

Everything here is typed for the demo and flagged `is_demo`; the ONISEP link
follows the address pattern of its public trade sheets and was not checked online.
"""

from datetime import date, timedelta

from django.utils import timezone

from campus.network.models import Organisation
from campus.outreach.models import (
    ClassLevel,
    DiscoveryPlacement,
    InterventionRequest,
    PlacementLevel,
    RequestStatus,
    ResourceKind,
    TeacherResource,
)
from campus.trades.models import Trade

RESOURCES = [
    (
        "Fiche métier : maroquinier / maroquinière",
        ResourceKind.TRADE_SHEET,
        "https://www.onisep.fr/ressources/univers-metier/metiers/maroquinier-maroquiniere",
        "ONISEP",
        "La fiche de l'ONISEP : missions, formations, débouchés.",
        ["maroquinier"],
    ),
    (
        "Vidéo : une journée dans un atelier de maroquinerie (démo)",
        ResourceKind.VIDEO,
        "https://video.campus.example/atelier-maroquinerie",
        "Campus (démo)",
        "Cinq minutes dans un atelier, de la coupe à la finition. Lien de démonstration.",
        ["maroquinier"],
    ),
    (
        "Activité : reconnaître les cuirs au toucher (démo)",
        ResourceKind.ACTIVITY,
        "https://ressources.campus.example/activite-cuirs",
        "Campus (démo)",
        "Une séance de 45 minutes pour le cycle 3, avec des échantillons prêtés par le campus.",
        ["tanneur", "maroquinier"],
    ),
]


def load_demo_outreach() -> None:
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    workshop = organisations.get("atelier-cuir-auxois")
    if workshop is not None:
        placement, _ = DiscoveryPlacement.objects.update_or_create(
            organisation=workshop,
            title="Découvrir un atelier de maroquinerie",
            defaults={
                "level": PlacementLevel.TROISIEME,
                "description": "Une semaine d'observation : coupe, piqûre, montage et contrôle qualité.",
                "places": 4,
                "period": "Décembre à février",
                "contact_email": "stages@atelier-cuir-auxois.example",
                "is_demo": True,
            },
        )
        placement.trades.set(Trade.objects.filter(slug__in=["maroquinier"]))
    for title, kind, url, source, description, trades in RESOURCES:
        resource, _ = TeacherResource.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "url": url,
                "source": source,
                "description": description,
                "is_demo": True,
            },
        )
        resource.trades.set(Trade.objects.filter(slug__in=trades))
    if workshop is not None and not InterventionRequest.objects.exists():
        done = InterventionRequest.objects.create(
            school_name="Collège de démonstration",
            school_town="Montbard",
            teacher_name="Enseignante (démo)",
            teacher_email="enseignante@college.example",
            class_level=ClassLevel.QUATRIEME,
            pupil_count=26,
            preferred_dates="Mars, le jeudi matin",
            status=RequestStatus.DONE,
            confirmed_at=timezone.now(),
            assigned_organisation=workshop,
            held_on=date.today() - timedelta(days=30),
            pupils_reached=25,
            artisans_involved=2,
            outcome="Démonstration de couture sellier ; trois élèves demandent un stage.",
        )
        done.trades.set(Trade.objects.filter(slug__in=["maroquinier", "gainier"]))
        waiting = InterventionRequest.objects.create(
            school_name="École élémentaire de démonstration",
            school_town="Dijon",
            teacher_name="Enseignant (démo)",
            teacher_email="enseignant@ecole.example",
            class_level=ClassLevel.CM1_CM2,
            pupil_count=24,
            preferred_dates="Mai ou juin",
            message="Projet de classe sur les objets du quotidien.",
            status=RequestStatus.NEW,
            confirmed_at=timezone.now(),
        )
        waiting.trades.set(Trade.objects.filter(slug__in=["maroquinier"]))
