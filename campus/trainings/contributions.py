"""What trainings add to an organisation's page: its trainings and what becomes of
its apprentices."""

from campus import contributions
from campus.contributions import PageSection
from campus.trainings.models import InsertionOutcome, Offering

MAX_LISTED_OFFERINGS = 100


def _offerings(organisation) -> dict:
    offerings = list(
        # The page is shown only to those who may see the organisation, so its
        # published trainings are listed even while the organisation is not.
        Offering.objects.filter(organisation=organisation, is_published=True)
        .select_related("commune", "site")
        .order_by("level", "title", "route", "pk")[: MAX_LISTED_OFFERINGS + 1]
    )
    return {
        "organisation": organisation,
        "offerings": offerings[:MAX_LISTED_OFFERINGS],
        "more": len(offerings) > MAX_LISTED_OFFERINGS,
    }


def _insertion_outcomes(organisation) -> dict:
    return {
        "outcomes": list(
            InsertionOutcome.objects.for_organisation(organisation).select_related(
                "certification"
            )[:3]
        )
    }


contributions.organisation_page.register(
    PageSection("trainings/_organisation_offerings.html", _offerings)
)
contributions.organisation_page.register(
    PageSection("trainings/_insertion_outcomes.html", _insertion_outcomes)
)
