"""What the platforms add to other pages: the back-office card of the usage table,
and a platform's equipment on its organisation page."""

from django.utils import timezone

from campus import contributions
from campus.contributions import BackOfficeCard, PageSection
from campus.network.models import OrganisationKind
from campus.platforms.models import Booking, Equipment


def _card() -> str:
    count = (
        Booking.objects.approved()
        .filter(starts_at__year=timezone.localdate().year)
        .count()
    )
    return (
        "Heures réservées sur les équipements des plateformes, mois par mois ; "
        f"{count} réservation{'s' if count > 1 else ''} acceptée{'s' if count > 1 else ''}"
        " cette année."
    )


def _organisation_equipment(organisation) -> dict:
    if organisation.kind != OrganisationKind.TECHNOLOGY_PLATFORM:
        return {"equipment_list": []}
    return {
        "equipment_list": list(
            Equipment.objects.published()
            .filter(organisation=organisation)
            .order_by("name", "pk")
        ),
        "organisation": organisation,
    }


contributions.back_office.register(
    BackOfficeCard(
        title="Plateformes technologiques",
        description=_card,
        link_label="Usage des équipements",
        url_name="platforms:team_usage",
    )
)
contributions.organisation_page.register(
    PageSection("platforms/_organisation_equipment.html", _organisation_equipment)
)
