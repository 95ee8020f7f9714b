"""What outreach adds to other pages: the request queue and a trade's discovery offer."""

from campus import contributions
from campus.contributions import BackOfficeCard, PageSection
from campus.outreach.models import DiscoveryPlacement, TeacherResource


def _discovery(trade) -> dict:
    return {
        "trade": trade,
        "placements": DiscoveryPlacement.objects.published()
        .filter(trades=trade)
        .select_related("organisation")
        .order_by("title", "pk"),
        "resources": TeacherResource.objects.published()
        .filter(trades=trade)
        .order_by("kind", "title", "pk"),
    }


contributions.back_office.register(
    BackOfficeCard(
        title="Interventions en classe",
        description="Demandes des enseignants, partenaires chargés, bilans.",
        link_label="Demandes",
        url_name="outreach:team_queue",
    )
)
contributions.trade_page.register(
    PageSection("outreach/_trade_discovery.html", _discovery)
)
