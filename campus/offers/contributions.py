"""What the offers add to other pages: the back-office card, and the open offers
on a trade's page (by its ROME codes) and a certification's page."""

from datetime import timedelta

from django.urls import reverse

from campus import contributions
from campus.contributions import BackOfficeCard, PageSection
from campus.dates import start_of_day
from campus.offers.models import Offer

LISTED_OFFERS = 5


def _open_offers(offers) -> list[Offer]:
    return list(
        offers.published()
        .prefetch_related("organisation", "commune")
        .order_by("-created_at", "-pk")[:LISTED_OFFERS]
    )


def _card() -> str:
    count = Offer.objects.published().count()
    return (
        f"{count} offre{'s' if count > 1 else ''} en ligne ; retirer une offre "
        "qui ne respecte pas les règles du campus."
    )


def _trade_offers(trade) -> dict:
    codes = trade.rome_code_list
    return {
        "offers": _open_offers(Offer.objects.for_rome_codes(codes)) if codes else [],
        "heading": "Offres d'apprentissage et d'emploi",
        "heading_id": "trade-offers-title",
        "more_url": reverse("offers:offer_list") + f"?metier={trade.slug}",
    }


def _certification_offers(certification) -> dict:
    return {
        "offers": _open_offers(Offer.objects.filter(certification=certification)),
        "heading": "Offres pour préparer ce diplôme",
        "heading_id": "certification-offers-title",
        "more_url": "",
    }


contributions.back_office.register(
    BackOfficeCard(
        title="Offres",
        description=_card,
        link_label="Offres des partenaires",
        url_name="offers:team_offers",
    )
)


def _first_listed_to_expire(context: dict, since):
    """The list changes at the start of the day after a listed offer's last day (the
    next one takes its place); an offer not listed only leaves it unchanged."""
    last_days = [offer.expires_on for offer in context["offers"]]
    if not last_days:
        return None
    day_after = min(last_days) + timedelta(days=1)
    return start_of_day(day_after)


contributions.trade_page.register(
    PageSection(
        "offers/_page_offers.html", _trade_offers, expires_at=_first_listed_to_expire
    )
)
contributions.certification_page.register(
    PageSection(
        "offers/_page_offers.html",
        _certification_offers,
        expires_at=_first_listed_to_expire,
    )
)
