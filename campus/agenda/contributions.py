"""What the agenda adds to other pages: moderation on /gestion/, the coming
events on an organisation's and a trade's page, and on the home page."""

from campus import contributions
from campus.agenda.models import Event
from campus.contributions import BackOfficeCard, HomeSection, PageSection
from campus.moderation import ModerationStatus

MAX_LISTED_EVENTS = 5
HOME_EVENTS = 4


# What the lists of events show (_upcoming_events.html, _event_card.html): the
# other columns, the long texts among them, are left unread.
LISTED_FIELDS = [
    "title",
    "slug",
    "kind",
    "state",
    "starts_at",
    "ends_at",
    "all_day",
    "place_kind",
    "is_free",
    "is_demo",
    "organisation__name",
    "commune__name",
]


def upcoming_events(events, *, limit: int = MAX_LISTED_EVENTS) -> list[Event]:
    """The next published events among `events`, soonest first."""
    return list(
        events.published()
        .upcoming()
        .select_related("organisation", "commune")
        .only(*LISTED_FIELDS)
        .order_by("starts_at", "pk")[:limit]
    )


def _waiting() -> str:
    count = Event.objects.filter(status=ModerationStatus.SUBMITTED).count()
    if not count:
        return "Aucun événement proposé n'attend votre validation."
    return f"{count} événement{'s' if count > 1 else ''} proposé{'s' if count > 1 else ''} à valider."


def _organisation_events(organisation) -> dict:
    return {
        "events": upcoming_events(Event.objects.filter(organisation=organisation)),
        "heading": "Prochains événements",
        "heading_id": "organisation-events-title",
    }


def _trade_events(trade) -> dict:
    return {
        "events": upcoming_events(Event.objects.filter(trades=trade)),
        "heading": "Prochains événements autour de ce métier",
        "heading_id": "trade-events-title",
        "show_organiser": True,
    }


contributions.back_office.register(
    BackOfficeCard(
        title="Agenda",
        description=_waiting,
        link_label="Modérer les événements",
        url_name="agenda:team_events",
    )
)


def _first_listed_to_end(context: dict, since):
    """A page's list of events changes when a listed event ends, as the home
    page's does; with none listed, only a write brings one."""
    return min((event.ends_at for event in context["events"]), default=None)


contributions.organisation_page.register(
    PageSection(
        "agenda/_upcoming_events.html",
        _organisation_events,
        expires_at=_first_listed_to_end,
    )
)
contributions.trade_page.register(
    PageSection(
        "agenda/_upcoming_events.html", _trade_events, expires_at=_first_listed_to_end
    )
)


def _next_events() -> dict | None:
    """The next published events (running ones included), or nothing to show."""
    events = upcoming_events(Event.objects.all(), limit=HOME_EVENTS)
    return {"events": events} if events else None


def _first_to_end(context: dict | None, since):
    """The section changes when a shown event ends (the next one takes its place);
    an event not shown starts after those shown, so cannot come first before. With
    no event to come, only a write brings one."""
    if context is None:
        return None
    return min(event.ends_at for event in context["events"])


contributions.home_page.register(
    HomeSection(
        "agenda/_home_events.html", _next_events, order=40, expires_at=_first_to_end
    )
)
