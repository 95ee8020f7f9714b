"""What the needs add to other pages: the back-office card of the gap view."""

from campus import contributions
from campus.contributions import BackOfficeCard
from campus.needs.models import Need


def _open_needs() -> str:
    count = Need.objects.active().count()
    return (
        "Les besoins déclarés par les entreprises face à l'offre de formation ; "
        f"{count} besoin{'s' if count > 1 else ''} ouvert{'s' if count > 1 else ''}."
    )


contributions.back_office.register(
    BackOfficeCard(
        title="Besoins des entreprises",
        description=_open_needs,
        link_label="Tableau des écarts",
        url_name="needs:gap_view",
    )
)
