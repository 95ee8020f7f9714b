"""Demo residency and European mobility: an artist in residence at a demo
workshop, an open Erasmus+ call with two host partners (Italy, Spain) and their
offers, and mobilities done over two years.

Loading is idempotent: rows are matched by slug or by name. Every row is flagged
`is_demo`; the people and partners are fictitious.
"""

import datetime

from django.utils import timezone

from campus.network.models import Organisation
from campus.talent.demo_calls import at_noon
from campus.talent.models import (
    Call,
    CallKind,
    HostPartner,
    Mobility,
    MobilityOffer,
    Residency,
)
from campus.trades.models import ShowcaseItem, Trade

RESIDENCY_HOST = "atelier-cuir-auxois"
SENDING_SCHOOLS = ["lycee-eugene-guillaume-montbard", "cfa-pays-de-montbeliard"]
PARTNERS = [
    # name, country, city, website
    ("Scuola del cuoio de Florence (démo)", "IT", "Florence", ""),
    ("Taller de marroquinería de Ubrique (démo)", "ES", "Ubrique", ""),
]
OFFERS = [
    # partner index, title, weeks, period, places
    (0, "Stage de maroquinerie à Florence", 4, "mars–avril", 4),
    (1, "Stage en atelier à Ubrique", 3, "mai–juin", 3),
]
MOBILITIES = [
    # first name, initial, school index, partner index, years ago, month
    ("Camille", "D", 0, 0, 1, 3),
    ("Yanis", "B", 1, 1, 1, 5),
    ("Léa", "M", 0, 1, 1, 5),
    ("Hugo", "R", 1, 0, 0, 3),
    ("Inès", "T", 0, 0, 0, 3),
]


def _trade():
    return (
        Trade.objects.filter(slug="maroquinier").first()
        or Trade.objects.order_by("pk").first()
    )


def _load_residency(today: datetime.date) -> None:
    host = Organisation.objects.filter(slug=RESIDENCY_HOST).first()
    if host is None:
        return
    residency, _ = Residency.objects.update_or_create(
        slug="residence-artiste-atelier-demo",
        defaults={
            "title": "Résidence d'artiste à l'atelier (démo)",
            "host": host,
            "resident_name": "Alma Verdier (démo)",
            "starts_on": today - datetime.timedelta(days=20),
            "ends_on": today + datetime.timedelta(days=40),
            "description": (
                "Une plasticienne travaille le cuir avec les artisans de l'atelier "
                "pendant deux mois.\n\n"
                "- ateliers ouverts aux apprentis le mercredi ;\n"
                "- une restitution publique à la fin de la résidence."
            ),
            "is_published": True,
            "is_demo": True,
        },
    )
    trade = _trade()
    residency.trades.set([trade] if trade else [])
    work = (
        ShowcaseItem.objects.published()
        .filter(organisation=host)
        .order_by("created_at", "pk")
        .first()
    )
    residency.works.set([work] if work else [])


def _load_call() -> Call:
    call, _ = Call.objects.update_or_create(
        slug="mobilite-erasmus-demo",
        defaults={
            "title": "Mobilité Erasmus+ des apprenants (démo)",
            "kind": CallKind.MOBILITY,
            "summary": "Partir de trois à quatre semaines dans un atelier ou une "
            "école partenaire en Europe.",
            "description": "Le campus finance le voyage et le séjour avec Erasmus+.",
            "eligibility": "Élèves et apprentis des établissements du réseau.",
            "applicant_kinds": ["learner"],
            "opens_at": at_noon(-10),
            "closes_at": at_noon(50),
            "is_published": True,
            "is_demo": True,
        },
    )
    return call


def load_demo_mobility() -> None:
    today = timezone.localdate()
    _load_residency(today)
    call = _load_call()
    partners = []
    for name, country, city, website in PARTNERS:
        partner, _ = HostPartner.objects.update_or_create(
            name=name,
            defaults={
                "country": country,
                "city": city,
                "website": website,
                "contact_email": "",
                "is_active": True,
                "is_demo": True,
            },
        )
        trade = _trade()
        partner.trades.set([trade] if trade else [])
        partners.append(partner)
    for index, title, weeks, period, places in OFFERS:
        MobilityOffer.objects.update_or_create(
            title=title,
            host_partner=partners[index],
            defaults={
                "duration_weeks": weeks,
                "period": f"{period} {today.year + 1}",
                "places": places,
                "call": call,
                "is_published": True,
                "is_demo": True,
            },
        )
    schools = [
        Organisation.objects.filter(slug=slug).first() for slug in SENDING_SCHOOLS
    ]
    trade = _trade()
    if trade is None or None in schools:
        return
    for first_name, initial, school, partner, years_ago, month in MOBILITIES:
        departure = datetime.date(today.year - years_ago, month, 2)
        if departure >= today:
            departure = datetime.date(today.year - years_ago - 1, month, 2)
        Mobility.objects.update_or_create(
            learner_first_name=first_name,
            learner_last_initial=initial,
            is_demo=True,
            defaults={
                "sending_school": schools[school],
                "trade": trade,
                "host_partner": partners[partner],
                "departure_on": departure,
                "return_on": departure + datetime.timedelta(weeks=4),
                "europass_issued": years_ago > 0,
            },
        )
