"""What trades add to other pages: the know-how register, an organisation's
showcase and the trades with their pictures on the home page."""

from django.db.models import Prefetch

from campus import contributions
from campus.contributions import BackOfficeCard, HomeSection, PageSection
from campus.trades.models import ShowcaseItem, Trade


def _showcase(organisation) -> dict:
    return {
        "items": ShowcaseItem.objects.published()
        .filter(organisation=organisation)
        .prefetch_related(
            Prefetch("trades", queryset=Trade.objects.published().order_by("name"))
        )
        .order_by("-created_at", "-pk")[:12],
        "heading_id": f"vitrine-{organisation.pk}",
    }


contributions.back_office.register(
    BackOfficeCard(
        title="Savoir-faire rares",
        description=(
            "Évaluer la menace qui pèse sur chaque savoir-faire et suivre les "
            "actions de transmission."
        ),
        link_label="Registre",
        url_name="trades:team_know_how_list",
    )
)
contributions.organisation_page.register(
    PageSection("trades/_showcase.html", _showcase, head_template="trades/_head.html")
)


HOME_TRADES = 6


def _trades_in_pictures() -> dict | None:
    """The published trades with the latest published showcase pictures, most
    recent first, each with its latest one: one query over the pictures' links,
    reading only the columns the section shows."""
    links = (
        ShowcaseItem.trades.through.objects.filter(
            showcaseitem__is_published=True,
            showcaseitem__organisation__is_published=True,
            trade__is_published=True,
        )
        .select_related("trade", "showcaseitem__organisation")
        .only(
            "trade__name",
            "trade__slug",
            "trade__summary",
            "trade__is_demo",
            "showcaseitem__image",
            "showcaseitem__image_alt",
            "showcaseitem__organisation__name",
        )
        .order_by("-showcaseitem__created_at", "-showcaseitem__pk", "trade__name")
    )
    trades = {}
    # A few links a trade is enough to find six distinct trades among the latest.
    for link in links[: HOME_TRADES * 8]:
        if link.trade_id not in trades:
            trades[link.trade_id] = {"trade": link.trade, "picture": link.showcaseitem}
        if len(trades) == HOME_TRADES:
            break
    return {"trades": list(trades.values())} if trades else None


contributions.home_page.register(
    HomeSection("trades/_home_trades.html", _trades_in_pictures, order=30)
)
