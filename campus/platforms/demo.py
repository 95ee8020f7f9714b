"""Demo platform: a fictitious technology platform with two machines and bookings.

Idempotent: the organisation, the account and the equipment are matched by slug or
e-mail; the demo bookings are recreated around the current week, so the public
calendar always shows some.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campus.accounts.models import User
from campus.network.models import MemberRole, Membership, Organisation, OrganisationKind
from campus.places.models import Commune
from campus.platforms.models import Booking, BookingStatus, Equipment
from campus.platforms.times import PARIS, week_start

PLATFORM_SLUG = "plateforme-technologique-demo"
MANAGER_EMAIL = "plateforme@campus.example"
REQUESTER_EMAIL = "editeur.entreprise@campus.example"
REQUESTER_ORGANISATION = "atelier-cuir-auxois"

EQUIPMENT = [
    {
        "slug": "pareuse-demo",
        "name": "Pareuse",
        "description": (
            "Pareuse à cloche pour amincir les bords et les surfaces des peaux "
            "avant assemblage.\n\n- réglage fin de l'épaisseur\n- aspiration des copeaux"
        ),
        "characteristics": "Largeur de coupe : 12 mm\nÉpaisseur : de 0,1 à 4 mm",
        "access_conditions": "Sur demande, du lundi au vendredi, avec un technicien de la plateforme.",
        "hourly_price": Decimal("35.00"),
        "is_free": False,
        "required_training": "Une demi-journée de prise en main avec la plateforme.",
    },
    {
        "slug": "decoupe-laser-demo",
        "name": "Découpe laser",
        "description": (
            "Machine de découpe et de gravure laser CO₂ pour prototyper des "
            "gabarits, des pièces et des marquages."
        ),
        "characteristics": "Surface de travail : 1 300 × 900 mm\nPuissance : 100 W",
        "access_conditions": "Fichiers vectoriels (SVG, DXF) préparés à l'avance.",
        "hourly_price": None,
        "is_free": True,
        "required_training": "Formation sécurité laser obligatoire (2 heures).",
    },
]


def _slot(monday: dt.date, day: int, start: int, end_day: int, end: int):
    starts = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(start), PARIS)
    ends = dt.datetime.combine(monday + dt.timedelta(days=end_day), dt.time(end), PARIS)
    return starts, ends


def load_demo_platforms() -> list[tuple[str, str]]:
    """Loads the demo platform; returns its demo account (e-mail, description)."""
    with transaction.atomic():
        platform, _ = Organisation.objects.update_or_create(
            slug=PLATFORM_SLUG,
            defaults={
                "name": "Plateforme technologique des métiers d'art (démo)",
                "kind": OrganisationKind.TECHNOLOGY_PLATFORM,
                "description": (
                    "Plateforme fictive de démonstration : machines de prototypage "
                    "prêtées aux entreprises et aux établissements du réseau."
                ),
                "address": "2 rue des Ateliers",
                "commune": Commune.objects.filter(insee_code="21425").first(),
                "is_published": True,
                "is_demo": True,
            },
        )
        manager = User.objects.filter(email=MANAGER_EMAIL).first()
        if manager is None:
            from campus.demo import DEMO_PASSWORD

            manager = User.objects.create_user(
                MANAGER_EMAIL, DEMO_PASSWORD, full_name="Alex Technicien (démo)"
            )
        Membership.objects.update_or_create(
            user=manager, organisation=platform, defaults={"role": MemberRole.EDITOR}
        )
        equipment = []
        for spec in EQUIPMENT:
            item, _ = Equipment.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    **{k: v for k, v in spec.items() if k != "slug"},
                    "organisation": platform,
                    "manager": manager,
                    "is_published": True,
                    "is_demo": True,
                },
            )
            equipment.append(item)
        _load_bookings(equipment, platform, manager)
    return [
        (MANAGER_EMAIL, f"éditeur de {PLATFORM_SLUG}, responsable des réservations")
    ]


def _load_bookings(equipment, platform, manager) -> None:
    requester = User.objects.filter(email=REQUESTER_EMAIL).first() or manager
    organisation = (
        Organisation.objects.filter(
            slug=REQUESTER_ORGANISATION, memberships__user=requester
        ).first()
        or platform
    )
    Booking.objects.filter(equipment__in=equipment, is_demo=True).delete()
    monday = week_start(timezone.localdate())
    next_monday = monday + dt.timedelta(days=7)
    skiver, laser = equipment
    now = timezone.now()
    rows = [
        (
            skiver,
            _slot(monday, 1, 9, 1, 12),
            BookingStatus.APPROVED,
            "Parage des bords d'une série de pochettes.",
        ),
        (
            skiver,
            _slot(monday, 3, 14, 3, 17),
            BookingStatus.APPROVED,
            "Essais d'épaisseur sur un nouveau cuir.",
        ),
        (
            skiver,
            _slot(next_monday, 0, 9, 0, 12),
            BookingStatus.PENDING,
            "Prototype de ceinture.",
        ),
        (
            laser,
            _slot(monday, 2, 8, 2, 18),
            BookingStatus.APPROVED,
            "Découpe de gabarits pour l'atelier.",
        ),
        (
            laser,
            _slot(next_monday, 4, 22, 5, 10),
            BookingStatus.APPROVED,
            "Gravure d'une série de plaques (de nuit).",
        ),
        (
            laser,
            _slot(next_monday, 2, 10, 2, 12),
            BookingStatus.PENDING,
            "Marquage de prototypes.",
        ),
    ]
    Booking.objects.bulk_create(
        Booking(
            equipment=item,
            requester=requester,
            organisation=organisation,
            starts_at=starts,
            ends_at=ends,
            status=status,
            purpose=purpose,
            decided_by=manager if status == BookingStatus.APPROVED else None,
            decided_at=now if status == BookingStatus.APPROVED else None,
            is_demo=True,
        )
        for item, (starts, ends), status, purpose in rows
    )
