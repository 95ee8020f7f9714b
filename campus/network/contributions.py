"""What the network adds to shared pages: moderation and the directory on the
team's home, the network in numbers on the home page."""

from urllib.parse import urlencode

from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse

from campus import contributions
from campus.contributions import BackOfficeCard, HomeSection
from campus.network.models import Organisation, OrganisationKind, Proposal


def _pending_proposals() -> str:
    count = Proposal.objects.pending().count()
    return f"{count} proposition{pluralize(count)} en attente de modération."


def _directory_counts() -> str:
    total = Organisation.objects.count()
    unpublished = Organisation.objects.filter(is_published=False).count()
    return (
        f"{total} organisation{pluralize(total)}, dont {unpublished} "
        f"non publiée{pluralize(unpublished)}."
    )


contributions.back_office.register(
    BackOfficeCard(
        title="Propositions",
        description=_pending_proposals,
        link_label="Modérer",
        url_name="network:proposal_queue",
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Annuaire",
        description=_directory_counts,
        link_label="Ajouter une organisation",
        url_name="network:organisation_create",
    )
)


def _network_in_numbers() -> dict | None:
    """Published organisations counted by kind, largest first: one query."""
    rows = (
        Organisation.objects.published()
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "kind")
    )
    directory = reverse("network:directory")
    labels = dict(OrganisationKind.choices)
    kinds = [
        {
            "label": labels.get(row["kind"], row["kind"]),
            "count": row["count"],
            "url": f"{directory}?{urlencode({'type': row['kind']})}",
        }
        for row in rows
    ]
    if not kinds:
        return None
    return {
        "kinds": kinds,
        "total": sum(kind["count"] for kind in kinds),
        "directory_url": directory,
    }


contributions.home_page.register(
    HomeSection("network/_home_network.html", _network_in_numbers, order=70)
)
