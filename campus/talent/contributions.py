"""What the talent area adds to other pages: the open calls on the home page, the
residencies on their host's page, and the team's cards for calls, laureates,
residencies and mobility."""

from datetime import timedelta

from django.db.models import Min
from django.utils import timezone

from campus import contributions
from campus.contributions import BackOfficeCard, HomeSection, PageSection
from campus.dates import start_of_day
from campus.talent.models import ApplicationStatus, Call, CallState, Residency
from campus.talent.residencies import residencies_by_period

HOME_CALLS = 3


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


# What a call's card shows (_call_card.html): its long texts are left unread.
CARD_FIELDS = [
    "title",
    "slug",
    "kind",
    "applicant_kinds",
    "summary",
    "is_demo",
    "opens_at",
    "closes_at",
]


def _open_calls() -> dict | None:
    now = timezone.now()
    calls = list(
        Call.objects.published()
        .open_at(now)
        .only(*CARD_FIELDS)
        .order_by("closes_at", "pk")[:HOME_CALLS]
    )
    if not calls:
        return None
    return {"calls": calls, "state": CallState.OPEN}


def _calls_summary() -> str:
    calls = Call.objects.count()
    submitted = Call.objects.filter(
        applications__status=ApplicationStatus.SUBMITTED
    ).count()
    return (
        "Appels à projets, concours et résidences : textes, questions, documents "
        f"et candidatures ; {_plural(calls, 'appel')}, "
        f"{_plural(submitted, 'candidature')} déposée{'s' if submitted > 1 else ''}."
    )


def _hosted_residencies(organisation) -> dict:
    periods = residencies_by_period(
        Residency.objects.published().filter(host=organisation),
        today=timezone.localdate(),
    )
    return {"periods": periods, "organisation": organisation}


def _residency_count() -> str:
    count = Residency.objects.published().count()
    return (
        "Les résidences d'artistes dans les ateliers et écoles du réseau ; "
        f"{count} publiée{'s' if count > 1 else ''}."
    )


def _next_change_of_calls(context: dict | None, since):
    """The section changes when a shown call closes or another one opens."""
    opening = (
        Call.objects.published()
        .filter(opens_at__gt=since)
        .aggregate(next=Min("opens_at"))["next"]
    )
    moments = [call.closes_at for call in context["calls"]] if context else []
    if opening is not None:
        moments.append(opening)
    return min(moments, default=None)


contributions.home_page.register(
    HomeSection(
        "talent/_home_calls.html",
        _open_calls,
        order=45,
        expires_at=_next_change_of_calls,
    )
)


def _next_change_of_periods(context: dict, since):
    """A residency moves from « à venir » to « en cours » on its first day, and to
    « passées » the day after its last."""
    periods = context["periods"]
    days = [residency.starts_on for residency in periods.upcoming] + [
        residency.ends_on + timedelta(days=1) for residency in periods.current
    ]
    if not days:
        return None
    return start_of_day(min(days))


contributions.organisation_page.register(
    PageSection(
        "talent/residencies/_organisation_section.html",
        _hosted_residencies,
        head_template="trades/_head.html",
        expires_at=_next_change_of_periods,
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Appels et concours",
        description=_calls_summary,
        link_label="Gérer les appels",
        url_name="talent:team_calls",
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Lauréats et suivi des projets",
        description="Montants accordés et versés, étapes et rapports des projets retenus.",
        link_label="Suivre les projets",
        url_name="talent:followup_team_projects",
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Résidences d'artistes",
        description=_residency_count,
        link_label="Gérer les résidences",
        url_name="talent:residency_team_list",
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Mobilité européenne",
        description="Partenaires d'accueil, offres et mobilités réalisées (Erasmus+).",
        link_label="Suivre les mobilités",
        url_name="talent:mobility_counts",
    )
)
