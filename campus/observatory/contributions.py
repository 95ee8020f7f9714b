"""What the observatory adds to other pages: the key figures on the home page, and
its card on the back-office home."""

from campus import contributions
from campus.contributions import BackOfficeCard, HomeSection
from campus.observatory.key_figures import with_computed
from campus.observatory.models import KeyFigure


def _key_figures() -> dict | None:
    items = with_computed(KeyFigure.objects.published(), shown_only=True)
    return {"items": items} if items else None


contributions.home_page.register(
    HomeSection("observatory/_home_key_figures.html", _key_figures, order=60)
)
contributions.back_office.register(
    BackOfficeCard(
        "Observatoire",
        "Date du dernier import de chaque source (alerte au-delà de 13 mois) et "
        "chiffres clés saisis comparés aux chiffres calculés.",
        "Sources et chiffres clés",
        "observatory:team_sources",
    )
)
