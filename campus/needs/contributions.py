"""What the needs add to other pages: the back-office cards of the gap view and
of the training projects."""

from campus import contributions
from campus.contributions import BackOfficeCard
from campus.needs.models import Need, TrainingProject


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


def _projects_in_progress() -> str:
    count = TrainingProject.objects.in_progress().count()
    return (
        "Les formations que le campus fait ouvrir pour répondre aux besoins ; "
        f"{count} projet{'s' if count > 1 else ''} en cours."
    )


contributions.back_office.register(
    BackOfficeCard(
        title="Projets de formation",
        description=_projects_in_progress,
        link_label="Projets de formation",
        url_name="needs:project_list",
    )
)
