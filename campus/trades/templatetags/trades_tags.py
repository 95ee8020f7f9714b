from django import template
from django.db.models import Prefetch

from campus.trades.models import ShowcaseItem, Trade

register = template.Library()


@register.inclusion_tag("trades/_showcase.html")
def showcase_for(organisation):
    """The published showcase of an organisation, for its directory page."""
    return {
        "items": ShowcaseItem.objects.published()
        .filter(organisation=organisation)
        .prefetch_related(
            Prefetch("trades", queryset=Trade.objects.published().order_by("name"))
        )
        .order_by("-created_at", "-pk")[:12],
        "heading_id": f"vitrine-{organisation.pk}",
    }
