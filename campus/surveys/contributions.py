"""What the surveys add to other pages: the back-office card of the campaigns."""

from django.utils import timezone

from campus import contributions
from campus.contributions import BackOfficeCard
from campus.surveys.models import SurveyCampaign


def _open_campaigns() -> str:
    count = SurveyCampaign.objects.open_on(timezone.localdate()).count()
    return (
        "Un e-mail avec un lien personnel aux entreprises du réseau, dont les "
        f"réponses deviennent des besoins ; {count} enquête{'s' if count > 1 else ''} "
        f"en cours."
    )


contributions.back_office.register(
    BackOfficeCard(
        title="Enquêtes sur les besoins",
        description=_open_campaigns,
        link_label="Enquêtes",
        url_name="surveys:campaign_list",
    )
)
