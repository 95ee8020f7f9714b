from django import template

from campus.trainings.models import InsertionOutcome

register = template.Library()


@register.inclusion_tag("trainings/_insertion_outcomes.html")
def insertion_outcomes(organisation):
    """The InserJeunes table of an organisation's page, empty when it has no figures."""
    return {
        "outcomes": list(InsertionOutcome.objects.for_organisation(organisation)[:3])
    }
