"""What residencies add to other pages: a section on the host organisation's page
and a card on the team's home."""

from django.utils import timezone

from campus import contributions
from campus.contributions import BackOfficeCard, PageSection
from campus.talent.models import Residency
from campus.talent.residencies import residencies_by_period


def _hosted_residencies(organisation, user) -> dict:
    periods = residencies_by_period(
        Residency.objects.published().filter(host=organisation),
        today=timezone.localdate(),
    )
    return {"periods": periods, "organisation": organisation}


def _residency_count() -> str:
    count = Residency.objects.published().count()
    return (
        "Les résidences d'artistes dans les ateliers et écoles du réseau ; "
        f"{count} publiée{'s' if count > 1 else ''}."
    )


contributions.organisation_page.register(
    PageSection(
        "talent/residencies/_organisation_section.html",
        _hosted_residencies,
        head_template="trades/_head.html",
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Résidences d'artistes",
        description=_residency_count,
        link_label="Gérer les résidences",
        url_name="talent:residency_team_list",
    )
)
contributions.back_office.register(
    BackOfficeCard(
        title="Mobilité européenne",
        description="Partenaires d'accueil, offres et mobilités réalisées (Erasmus+).",
        link_label="Suivre les mobilités",
        url_name="talent:mobility_counts",
    )
)
