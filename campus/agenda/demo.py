"""The demo agenda of the leather campus: open days, JEMA, a fair, a class workshop
with its waitlist, a webinar, a postponed round table and a few past events.

Dates are counted from the day the demo loads, so it never goes stale; loading
again moves them and changes nothing else (events are matched by slug,
registrations by event and e-mail). Everything is flagged `is_demo` and titled
« (démo) »; registrants have obviously fake names and example.org addresses.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from campus.accounts.models import User
from campus.agenda.models import (
    Audience,
    Event,
    EventKind,
    EventState,
    PlaceKind,
    Registration,
    RegistrationStatus,
)
from campus.moderation import ModerationStatus
from campus.network.models import Organisation
from campus.places.models import Commune
from campus.trades.models import Trade
from campus.trainings.models import Offering


@dataclass
class DemoEvent:
    slug: str
    title: str
    kind: str
    organisation: str
    day: date
    hours: tuple[int, int]
    summary: str
    description: str = ""
    days: int = 1
    audiences: list[str] = field(default_factory=list)
    trades: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _saturday_after(start: date, weeks: int) -> date:
    day = start + timedelta(weeks=weeks)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _first_saturday_of_april(today: date) -> date:
    year = today.year if today < date(today.year, 4, 1) else today.year + 1
    first = date(year, 4, 1)
    return first + timedelta(days=(5 - first.weekday()) % 7)


def demo_events(today: date) -> list[DemoEvent]:
    return [
        DemoEvent(
            "portes-ouvertes-lycee-eugene-guillaume-demo",
            "Portes ouvertes du lycée Eugène Guillaume (démo)",
            EventKind.OPEN_DAY,
            "lycee-eugene-guillaume-montbard",
            _saturday_after(today, 3),
            (9, 12),
            "Visitez les ateliers de maroquinerie et rencontrez élèves et enseignants.",
            "Au programme :\n\n- visite des ateliers de coupe et de piqûre ;\n"
            "- démonstrations par les élèves de CAP et de bac pro ;\n"
            "- rencontre avec l'équipe pédagogique et les entreprises partenaires.",
            audiences=["pupils", "parents"],
            trades=["maroquinier"],
            extra={"accessibility": "Ateliers de plain-pied, accès en fauteuil."},
        ),
        DemoEvent(
            "portes-ouvertes-lycee-les-huisselets-demo",
            "Portes ouvertes du lycée Les Huisselets (démo)",
            EventKind.OPEN_DAY,
            "lycee-les-huisselets-montbeliard",
            _saturday_after(today, 5),
            (9, 13),
            "Bac pro, DN MADe et licence pro : les formations du cuir et de la mode.",
            audiences=["pupils", "parents"],
            trades=["maroquinier"],
        ),
        DemoEvent(
            "portes-ouvertes-cfa-pays-de-montbeliard-demo",
            "Après-midi portes ouvertes du CFA (démo)",
            EventKind.OPEN_DAY,
            "cfa-pays-de-montbeliard",
            _saturday_after(today, 4) - timedelta(days=3),
            (14, 17),
            "L'apprentissage en maroquinerie et en sellerie : trouver son entreprise.",
            audiences=["pupils", "parents", "job_seekers"],
            trades=["maroquinier", "sellier-harnacheur"],
        ),
        DemoEvent(
            "jema-atelier-cuir-auxois-demo",
            "JEMA : l'Atelier Cuir de l'Auxois ouvre ses portes (démo)",
            EventKind.JEMA,
            "atelier-cuir-auxois",
            _first_saturday_of_april(today),
            (10, 18),
            "Journées européennes des métiers d'art : démonstrations de couture sellier.",
            "Pendant les **Journées européennes des métiers d'art**, l'atelier montre "
            "la coupe, la couture au point sellier et la teinture des tranches.",
            days=2,
            audiences=["public", "pupils", "parents"],
            trades=["maroquinier", "sellier-harnacheur"],
        ),
        DemoEvent(
            "salon-metiers-cuir-dijon-demo",
            "Salon des métiers du cuir et de la maroquinerie (démo)",
            EventKind.FAIR,
            "federation-francaise-maroquinerie",
            _saturday_after(today, 7) - timedelta(days=1),
            (9, 18),
            "Deux jours pour rencontrer écoles, CFA et entreprises de la filière.",
            days=2,
            audiences=["pupils", "parents", "job_seekers", "companies", "public"],
            trades=["maroquinier", "sellier-harnacheur", "gainier", "malletier"],
            extra={
                "place_kind": PlaceKind.ADDRESS,
                "venue": "Parc des expositions (démo)",
                "address": "Avenue des Grands Ducs d'Occident",
                "commune_name": "Dijon",
                "is_free": False,
                "price": "5 €, gratuit pour les scolaires et les demandeurs d'emploi",
            },
        ),
        DemoEvent(
            "atelier-decouverte-classes-demo",
            "Atelier découverte pour les classes : fabriquer un porte-cartes (démo)",
            EventKind.WORKSHOP,
            "atelier-cuir-auxois",
            today + timedelta(days=10),
            (9, 12),
            "Une matinée en atelier pour une classe de 4e ou de 3e : places limitées.",
            audiences=["pupils", "teachers"],
            trades=["maroquinier"],
            extra={"registration": True, "capacity": 2},
        ),
        DemoEvent(
            "webinaire-tracabilite-cuir-demo",
            "Webinaire : la traçabilité des cuirs (démo)",
            EventKind.WEBINAR,
            "ctc",
            today + timedelta(days=17),
            (18, 19),
            "Une heure pour comprendre l'origine des peaux et leur certification.",
            audiences=["companies", "teachers"],
            trades=["tanneur", "maroquinier"],
            extra={
                "place_kind": PlaceKind.ONLINE,
                "online_url": "https://visio.campus.example/tracabilite",
            },
        ),
        DemoEvent(
            "table-ronde-savoir-faire-rares-demo",
            "Table ronde : transmettre les savoir-faire rares (démo)",
            EventKind.CONFERENCE,
            "conseil-national-du-cuir",
            today + timedelta(days=24),
            (14, 17),
            "Artisans, écoles et entreprises sur la transmission des gestes rares.",
            audiences=["companies", "teachers", "public"],
            trades=["parcheminier", "gainier"],
            extra={
                "state": EventState.POSTPONED,
                "state_note": "Un intervenant ne peut venir : la table ronde est "
                "reportée au printemps, la nouvelle date sera annoncée ici.",
            },
        ),
        DemoEvent(
            "atelier-gainerie-propose-demo",
            "Atelier d'initiation à la gainerie (démo)",
            EventKind.WORKSHOP,
            "atelier-cuir-auxois",
            today + timedelta(days=31),
            (14, 17),
            "Proposé par un partenaire : attend la validation de l'équipe.",
            audiences=["public"],
            trades=["gainier"],
            extra={"status": ModerationStatus.SUBMITTED},
        ),
        DemoEvent(
            "portes-ouvertes-passees-lycee-eugene-guillaume-demo",
            "Portes ouvertes d'hiver du lycée Eugène Guillaume (démo)",
            EventKind.OPEN_DAY,
            "lycee-eugene-guillaume-montbard",
            _saturday_after(today, -9),
            (9, 12),
            "Archive : la précédente journée portes ouvertes.",
            audiences=["pupils", "parents"],
            trades=["maroquinier"],
        ),
        DemoEvent(
            "finale-concours-apprentis-demo",
            "Finale régionale du concours des apprentis maroquiniers (démo)",
            EventKind.COMPETITION,
            "cfa-pays-de-montbeliard",
            today - timedelta(days=20),
            (9, 17),
            "Archive : six apprentis ont réalisé une pochette en sept heures.",
            audiences=["public", "companies"],
            trades=["maroquinier"],
        ),
    ]


REGISTRANTS = [
    ("Classe de 4e A — Enseignante Démo", "demo.inscrite1@example.org", 24, True),
    ("Classe de 3e B — Enseignant Démo", "demo.inscrit2@example.org", 22, True),
    ("Classe de 4e C — Enseignante Essai", "demo.attente1@example.org", 25, False),
    ("Classe de 3e D — Enseignant Essai", "demo.attente2@example.org", 20, False),
]


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


def load_demo_agenda() -> int:
    """Loads the demo events and registrations; returns the number of events."""
    today = timezone.localdate()
    now = timezone.now()
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    audiences = {a.code: a for a in Audience.objects.all()}
    team = User.objects.campus_team().order_by("pk").first()
    partner = User.objects.filter(email="editeur.entreprise@campus.example").first()
    loaded = 0
    for spec in demo_events(today):
        organisation = organisations.get(spec.organisation)
        if organisation is None:
            continue
        extra = dict(spec.extra)
        commune_name = extra.pop("commune_name", None)
        registration = extra.pop("registration", False)
        status = extra.pop("status", ModerationStatus.PUBLISHED)
        starts_at = _moment(spec.day, spec.hours[0])
        defaults = {
            "title": spec.title,
            "kind": spec.kind,
            "organisation": organisation,
            "starts_at": starts_at,
            "ends_at": _moment(spec.day + timedelta(days=spec.days - 1), spec.hours[1]),
            "summary": spec.summary,
            "description": spec.description,
            "status": status,
            "submitted_by": partner if status == ModerationStatus.SUBMITTED else team,
            "decided_by": team if status == ModerationStatus.PUBLISHED else None,
            "decided_at": now if status == ModerationStatus.PUBLISHED else None,
            "registration_enabled": registration,
            "registration_closes_at": starts_at - timedelta(days=2)
            if registration
            else None,
            "is_demo": True,
            **extra,
        }
        if commune_name:
            defaults["commune"] = Commune.objects.filter(name=commune_name).first()
        event, _ = Event.objects.update_or_create(slug=spec.slug, defaults=defaults)
        event.audiences.set([audiences[c] for c in spec.audiences if c in audiences])
        event.trades.set(Trade.objects.filter(slug__in=spec.trades))
        if spec.kind == EventKind.OPEN_DAY:
            offerings = Offering.objects.filter(organisation=organisation)
            event.offerings.set(offerings)
            event.certifications.set({o.certification_id for o in offerings})
        if registration:
            _load_registrations(event, now)
        loaded += 1
    return loaded


def _load_registrations(event: Event, now: datetime) -> None:
    for rank, (name, email, pupils, holds_place) in enumerate(REGISTRANTS):
        confirmed_at = now - timedelta(days=len(REGISTRANTS) - rank)
        Registration.objects.update_or_create(
            event=event,
            email=email,
            defaults={
                "name": name,
                "places": 1,
                "school_name": "Collège de démonstration",
                "pupil_count": pupils,
                "status": RegistrationStatus.CONFIRMED
                if holds_place
                else RegistrationStatus.WAITLISTED,
                "confirmed_at": confirmed_at,
                "waitlisted_at": None if holds_place else confirmed_at,
            },
        )
