"""The report's sections: the criteria of the label (arrêté of 26 September 2019,
national cahier des charges of the Campus des métiers et des qualifications).

Each section is declared once, here, with its slug, its French title, what the
criterion asks and the functions computing its tables for a period. A function
returns an observatory `Table` (so the charts of `campus/observatory/charts.py`
draw it), computed from live data; `freeze()` turns it into JSON for a version.
A table with no rows is kept and says « aucune donnée ».
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from campus.agenda.models import Event, EventKind, RegistrationStatus
from campus.needs.models import STEP_ORDER, Step, TrainingProject
from campus.network.models import KIND_LABELS, Organisation, PartnershipStatus
from campus.observatory.aggregates import (
    OFFERINGS_LICENCE,
    OFFERINGS_SOURCE,
    OUTREACH_LICENCE,
    OUTREACH_SOURCE,
    tally_outreach,
)
from campus.observatory.figures import Column, Table
from campus.observatory.key_figures import stored
from campus.observatory.models import KeyFigure, TerritoryLevel
from campus.opendata.models import ImportRun, ImportSource
from campus.outreach.models import InterventionRequest
from campus.places.models import Departement
from campus.platforms.services import usage_by_month
from campus.profiles.models import CampusProfile
from campus.talent.mobility import mobility_counts
from campus.talent.models import Application, Call, CallKind, Decision
from campus.trainings.models import Certification, Level, Offering, Route

NO_DATA = "aucune donnée"
CAMPUS_SOURCE = "Données saisies dans Campus par l'équipe et les partenaires"
CAMPUS_LICENCE = "Licence Ouverte 2.0"
PARTNER_STATUSES = [PartnershipStatus.PARTNER, PartnershipStatus.FOUNDING]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        ) and self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.max))

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


Builder = Callable[[Period], Table]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    # What the criterion asks, shown above the team's text.
    criterion: str
    builders: list[Builder] = field(default_factory=list)


def _table(columns, rows, *, source=CAMPUS_SOURCE, licence=CAMPUS_LICENCE, **kw):
    return Table(columns=columns, rows=rows, source=source, licence=licence, **kw)


# --- Figures -----------------------------------------------------------------


def network_by_kind(period: Period) -> Table:
    """Actors of the directory by kind: all of them on the day of production (the
    directory is often imported after the period it covers), and its evolution:
    partners at the start and at the end of the period, and those who joined."""
    partner = Q(partnership_status__in=PARTNER_STATUSES)
    # A partner without a date counts as one from the start.
    undated = Q(partner_since__isnull=True)
    at_start = partner & (undated | Q(partner_since__lt=period.start))
    at_end = partner & (undated | Q(partner_since__lte=period.end))
    new = partner & Q(partner_since__range=(period.start, period.end))
    rows = [
        [
            KIND_LABELS.get(row["kind"], row["kind"]),
            row["all"],
            row["at_start"],
            row["at_end"],
            row["new"],
        ]
        for row in Organisation.objects.values("kind")
        .annotate(
            all=Count("pk"),
            at_start=Count("pk", filter=at_start),
            at_end=Count("pk", filter=at_end),
            new=Count("pk", filter=new),
        )
        .order_by("kind")
    ]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return _table(
        [
            Column("Type d'acteur", numeric=False),
            Column("Acteurs"),
            Column("Partenaires au début"),
            Column("Partenaires à la fin"),
            Column("Nouveaux partenaires"),
        ],
        rows,
        period=period.label,
        summary=(
            "Les acteurs de l'annuaire au jour du rapport, par type, et les "
            "partenaires au début et à la fin de la période."
        ),
    )


def new_partners(period: Period) -> Table:
    rows = [
        [name, KIND_LABELS.get(kind, kind), since.isoformat(), reference or "—"]
        for name, kind, since, reference in Organisation.objects.filter(
            partnership_status__in=PARTNER_STATUSES,
            partner_since__range=(period.start, period.end),
        )
        .order_by("partner_since", "name")
        .values_list("name", "kind", "partner_since", "agreement_reference")
    ]
    agreements = sum(1 for row in rows if row[3] != "—")
    return _table(
        [
            Column("Partenaire", numeric=False),
            Column("Type d'acteur", numeric=False),
            Column("Partenaire depuis", numeric=False),
            Column("Convention", numeric=False),
        ],
        rows,
        period=period.label,
        chart="",
        summary=(
            f"{len(rows)} nouveau(x) partenaire(s), dont {agreements} avec une "
            "convention."
        ),
    )


def certifications_by_level(period: Period) -> Table:
    labels = dict(Level.choices)
    rows = [
        [labels.get(row["level"], str(row["level"])), row["total"]]
        for row in Certification.objects.values("level")
        .annotate(total=Count("pk"))
        .order_by("level")
    ]
    return _table(
        [Column("Niveau", numeric=False), Column("Certifications")],
        rows,
        source="Certifications de la filière (RNCP, ONISEP)",
        licence="Licence Ouverte 2.0 ; ODbL pour l'ONISEP",
        period=f"au {timezone.localdate().isoformat()}",
    )


def offerings_by_level_and_route(period: Period) -> Table:
    levels, routes = dict(Level.choices), dict(Route.choices)
    counts = {
        (row["level"], row["route"]): row["total"]
        for row in Offering.objects.published()
        .values("level", "route")
        .annotate(total=Count("pk"))
        .order_by()
    }
    used_levels = sorted({level for level, _ in counts})
    rows = [
        [levels.get(level, str(level))]
        + [counts.get((level, route), 0) for route in routes]
        + [sum(counts.get((level, route), 0) for route in routes)]
        for level in used_levels
    ]
    return _table(
        [Column("Niveau", numeric=False)]
        + [Column(label) for label in routes.values()]
        + [Column("Total")],
        rows,
        source=OFFERINGS_SOURCE,
        licence=OFFERINGS_LICENCE,
        period=f"au {timezone.localdate().isoformat()}",
        chart_column=len(routes) + 1,
    )


def _step_at(project, end: date) -> str:
    """The project's last step reached by `end`. The opening-date step is dated
    with the planned opening: it counts once recorded, whatever that date."""
    reached = [
        step
        for step in project.steps.all()
        if step.reached_on <= end
        or (step.step == Step.OPENING_DATE and step.created_at.date() <= end)
    ]
    if not reached:
        return ""
    last = max(reached, key=lambda step: STEP_ORDER.index(step.step))
    return last.get_step_display()


def trainings_opened(period: Period) -> Table:
    """Trainings opened in the period by a training project (its opening date in
    the period), then the projects still in progress at its end with the step they
    had reached: title, certification, school, départements of the needs, needs."""
    projects = (
        TrainingProject.objects.filter(created_at__lte=period.end_at)
        .exclude(opened_on__lt=period.start)
        .select_related("certification", "lead_organisation")
        .prefetch_related("steps", "needs")
        .order_by("opened_on", "title", "pk")
    )
    opened, in_progress = [], []
    for project in projects:
        needs = list(project.needs.all())
        row = [
            project.title,
            project.certification.title if project.certification else "",
            project.lead_organisation.name if project.lead_organisation else "",
            ", ".join(sorted({need.departement_code for need in needs})),
        ]
        if project.opened_on and project.opened_on <= period.end:
            opened.append(
                [*row, project.opened_on.strftime("%d/%m/%Y"), len(needs), "Ouverte"]
            )
        else:
            in_progress.append([*row, "", len(needs), _step_at(project, period.end)])
    return _table(
        [
            Column("Projet", numeric=False),
            Column("Certification", numeric=False),
            Column("Établissement", numeric=False),
            Column("Départements des besoins", numeric=False),
            Column("Ouverture", numeric=False),
            Column("Besoins couverts"),
            Column("Étape", numeric=False),
        ],
        opened + sorted(in_progress, key=lambda row: row[0]),
        period=period.label,
        chart="",
        empty="Aucun projet de formation ouvert ni en cours sur la période.",
    )


def outreach_by_departement(period: Period) -> Table:
    campus = CampusProfile.load()
    requests = InterventionRequest.objects.filter(
        held_on__range=(period.start, period.end)
    )
    tallies = tally_outreach(campus, requests, period_of=lambda held_on: None)
    names = dict(Departement.objects.values_list("code", "name"))
    rows = []
    total = None
    for ((level, code), _), (classes, pupils, visits) in sorted(tallies.items()):
        if level == TerritoryLevel.REGION:
            total = ["Ensemble de la région", visits, classes, pupils]
        else:
            rows.append([f"{names.get(code, code)} ({code})", visits, classes, pupils])
    rows.sort(key=lambda row: row[0])
    if total:
        rows.append(total)
    return _table(
        [
            Column("Département", numeric=False),
            Column("Interventions"),
            Column("Classes"),
            Column("Élèves touchés"),
        ],
        rows,
        source=OUTREACH_SOURCE,
        licence=OUTREACH_LICENCE,
        period=period.label,
        chart_column=3,
    )


def events_by_kind(period: Period) -> Table:
    kinds = dict(EventKind.choices)
    confirmed = Q(registrations__status=RegistrationStatus.CONFIRMED)
    rows = [
        [
            kinds.get(row["kind"], row["kind"]),
            row["events"],
            row["booked"],
            row["present"],
        ]
        for row in Event.objects.published()
        .filter(starts_at__range=(period.start_at, period.end_at))
        .values("kind")
        .annotate(
            events=Count("pk", distinct=True),
            booked=Sum("registrations__places", filter=confirmed, default=0),
            present=Count(
                "registrations", filter=confirmed & Q(registrations__attended=True)
            ),
        )
        .order_by("kind")
    ]
    return _table(
        [
            Column("Type d'événement", numeric=False),
            Column("Événements"),
            Column("Places réservées"),
            Column("Inscriptions présentes"),
        ],
        rows,
        period=period.label,
        summary="Les événements publiés de la période et leur fréquentation.",
    )


def calls_and_laureates(period: Period) -> Table:
    kinds = dict(CallKind.choices)
    submitted = Application.objects.submitted()
    rows = []
    for call in Call.objects.filter(
        closes_at__range=(period.start_at, period.end_at)
    ).order_by("closes_at", "pk"):
        applications = submitted.filter(call=call)
        rows.append(
            [
                f"{call.title} ({kinds.get(call.kind, call.kind)})",
                applications.count(),
                applications.filter(decision=Decision.SELECTED).count(),
            ]
        )
    return _table(
        [
            Column("Appel", numeric=False),
            Column("Candidatures"),
            Column("Lauréats"),
        ],
        rows,
        period=period.label,
        summary="Les appels clos dans la période, leurs candidatures et lauréats.",
    )


def mobilities_by_country(period: Period) -> Table:
    by_country: Counter = Counter()
    for year in period.years:
        for country, count in mobility_counts(year).by_country:
            by_country[country] += count
    rows = sorted(([c, n] for c, n in by_country.items()), key=lambda r: (-r[1], r[0]))
    return _table(
        [Column("Pays d'accueil", numeric=False), Column("Mobilités")],
        rows,
        period=", ".join(str(year) for year in period.years),
        summary="Les mobilités européennes par pays, par année de départ.",
    )


def platform_usage(period: Period) -> Table:
    """Hours booked and bookings per equipment of the technology platforms, over the
    months the period covers (campus.platforms.services.usage_by_month)."""
    totals = {}
    for year in period.years:
        for usage in usage_by_month(year):
            # The months that overlap the period.
            months = [
                index
                for index in range(12)
                if date(year, index + 1, 1) <= period.end
                and _next_month(year, index) > period.start
            ]
            hours, bookings = totals.get(usage.equipment, (0.0, 0))
            totals[usage.equipment] = (
                hours + sum(usage.hours[m] for m in months),
                bookings + sum(usage.bookings[m] for m in months),
            )
    rows = [
        [equipment.name, equipment.organisation.name, round(hours, 1), bookings]
        for equipment, (hours, bookings) in totals.items()
        if hours or bookings
    ]
    return _table(
        [
            Column("Équipement", numeric=False),
            Column("Plateforme", numeric=False),
            Column("Heures réservées"),
            Column("Réservations"),
        ],
        rows,
        period=period.label,
        summary="Réservations acceptées des équipements des plateformes technologiques.",
    )


def _next_month(year: int, index: int) -> date:
    return date(year + (index == 11), (index + 1) % 12 + 1, 1)


def key_figures(period: Period) -> Table:
    rows = []
    for figure in KeyFigure.objects.published().order_by("order", "pk"):
        computed = stored(figure)
        value = (
            figure.value
            if figure.value is not None
            else (computed.value if computed else None)
        )
        rows.append(
            [
                figure.label,
                value,
                figure.unit,
                figure.period or (computed.period if computed else ""),
                figure.source_label or (computed.source if computed else ""),
            ]
        )
    return _table(
        [
            Column("Chiffre clé", numeric=False),
            Column("Valeur"),
            Column("Unité", numeric=False),
            Column("Période", numeric=False),
            Column("Source", numeric=False),
        ],
        rows,
        source="Chiffres clés de l'observatoire (source indiquée par ligne)",
        licence="Selon la source de chaque ligne",
        period=period.label,
        chart="",
    )


def data_sources(period: Period) -> Table:
    rows = [
        [label, run.finished_at.date().isoformat()]
        for source, label in ImportSource.choices
        if (run := ImportRun.objects.last_success([source])) is not None
    ]
    return _table(
        [
            Column("Source importée", numeric=False),
            Column("Dernier import", numeric=False),
        ],
        rows,
        source="Journal des imports de Campus",
        period=f"au {timezone.localdate().isoformat()}",
        chart="",
    )


SECTIONS = [
    Section(
        "diagnostic",
        "Diagnostic socio-économique partagé",
        "Le diagnostic du territoire et de la filière, partagé avec les acteurs.",
        [key_figures],
    ),
    Section(
        "perimetre",
        "Périmètre des acteurs, des territoires et des certifications",
        "Le réseau du campus, ses partenaires, conventions et certifications.",
        [
            network_by_kind,
            new_partners,
            certifications_by_level,
            offerings_by_level_and_route,
        ],
    ),
    Section(
        "objectifs",
        "Objectifs stratégiques",
        "Les objectifs stratégiques du campus et leur avancement.",
    ),
    Section(
        "gouvernance",
        "Gouvernance régionale",
        "Les instances de gouvernance, leur composition et leurs réunions.",
    ),
    Section(
        "pilotage",
        "Pilotage opérationnel",
        "L'équipe opérationnelle, son organisation et ses outils.",
    ),
    Section(
        "moyens",
        "Moyens financiers et humains",
        "Les ressources financières et humaines mobilisées.",
    ),
    Section(
        "identite",
        "Identité",
        "La visibilité du campus et les événements qui le font connaître.",
        [events_by_kind],
    ),
    Section(
        "lieux",
        "Lieux d'innovation et de vie",
        "Les plateformes, les projets soutenus et les lieux de vie du campus.",
        [platform_usage, calls_and_laureates],
    ),
    Section(
        "parcours",
        "Parcours de formation innovants",
        "Les formations ouvertes et la découverte des métiers par les jeunes.",
        [trainings_opened, outreach_by_departement],
    ),
    Section(
        "international",
        "Développement international et visibilité",
        "Les mobilités européennes et les partenariats internationaux.",
        [mobilities_by_country],
    ),
    Section(
        "evaluation",
        "Évaluation et démarche qualité",
        "Les indicateurs suivis et la fraîcheur des données qui les fondent.",
        [data_sources],
    ),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}

TABLE_TITLES = {
    key_figures: "Chiffres clés de la filière",
    network_by_kind: "Le réseau par type d'acteur",
    new_partners: "Nouveaux partenaires et conventions",
    certifications_by_level: "Certifications par niveau",
    offerings_by_level_and_route: "Formations par niveau et par voie",
    events_by_kind: "Événements et fréquentation",
    platform_usage: "Utilisation des plateformes technologiques",
    calls_and_laureates: "Appels, candidatures et lauréats",
    trainings_opened: "Formations ouvertes",
    outreach_by_departement: "Sensibilisation par département",
    mobilities_by_country: "Mobilités européennes par pays",
    data_sources: "Sources et dates des données",
}


# --- Freezing ------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def freeze(title: str, table: Table) -> dict:
    return {
        "title": title,
        "columns": [
            {"label": c.label, "unit": c.unit, "numeric": c.numeric}
            for c in table.columns
        ],
        "rows": [[_json_value(v) for v in row] for row in table.rows],
        "source": table.source,
        "licence": table.licence,
        "period": table.period,
        "summary": table.summary,
        "chart": table.chart,
        "chart_column": table.chart_column,
        "empty": table.empty,
    }


def thaw(frozen: dict) -> Table:
    return Table(
        columns=[Column(**c) for c in frozen["columns"]],
        rows=frozen["rows"],
        source=frozen["source"],
        licence=frozen["licence"],
        period=frozen["period"],
        summary=frozen["summary"],
        chart=frozen["chart"],
        chart_column=frozen["chart_column"],
        empty=frozen["empty"],
    )


def compute_section(section: Section, period: Period) -> list[dict]:
    return [freeze(TABLE_TITLES[build], build(period)) for build in section.builders]
