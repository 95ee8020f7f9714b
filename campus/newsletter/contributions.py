"""What the newsletter adds to other pages: its card on the back-office home."""

from campus import contributions
from campus.contributions import BackOfficeCard
from campus.newsletter.models import Subscriber


def _description() -> str:
    count = Subscriber.objects.active().count()
    return f"{count} abonné{'s' if count > 1 else ''} confirmé{'s' if count > 1 else ''} : composer, prévisualiser et envoyer la lettre."


contributions.back_office.register(
    BackOfficeCard(
        title="Lettre d'information",
        description=_description,
        link_label="La lettre",
        url_name="newsletter:team_home",
    )
)
