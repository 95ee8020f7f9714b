"""Insertion of the network's leavers (InserJeunes) against the regional average.

For a territory (the campus's région, a département, a commune), each published
establishment of the network with InserJeunes figures, per route (all leavers,
school route, apprentices): employment 6 months after leaving, further studies
and value added, beside the mean of the same population in its région.

The means are `InsertionAverage` rows stored at import from every row of the
DEPP file in the région (not only the network's): unweighted means of the
diffused rates, since the files give rates and no headcounts, so a lycée of 20
leavers weighs as much as one of 400. A withheld rate (fewer than 20 leavers)
is left out of the mean and counted, here and in the stored means. An
establishment is compared with its own kind: a lycée's apprentices with the
apprentices of the région's lycées, a CFA with the région's CFAs.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from campus.trainings.models import (
    OUTCOME_ROUTES,
    InsertionAverage,
    InsertionOutcome,
)

# (field, label, unit) of the compared figures, in the order they are shown.
INDICATORS = [
    ("employment_rate_6_months", "Taux d'emploi à 6 mois", "%"),
    ("further_study_rate", "Taux de poursuite d'études", "%"),
    ("employment_value_added_6_months", "Valeur ajoutée (emploi à 6 mois)", "points"),
]
ROUTE_ORDER = {route: order for order, (route, _label) in enumerate(OUTCOME_ROUTES)}
ROUTE_LABELS = dict(OUTCOME_ROUTES)


@dataclass(frozen=True)
class Compared:
    """One rate of one establishment beside the regional mean of its population."""

    value: Decimal | None  # None: withheld by the source
    regional_mean: Decimal | None  # None: no stored mean, or none diffused
    regional_diffused: int = 0
    regional_withheld: int = 0

    @property
    def difference(self) -> Decimal | None:
        if self.value is None or self.regional_mean is None:
            return None
        return self.value - self.regional_mean


@dataclass(frozen=True)
class SchoolInsertion:
    organisation_id: int
    name: str
    url: str
    route: str
    group: str
    figures: dict[str, Compared]

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS[self.route]


@dataclass
class InsertionFigures:
    cohort: str  # empty when no figures were imported for the territory
    rows: list[SchoolInsertion]
    # Per indicator, how many of the rows shown are withheld.
    withheld: Counter = field(default_factory=Counter)
    cohorts: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)


def insertion_by_school(
    *, departement_codes: list[str], commune_code: str = "", cohort: str = ""
) -> InsertionFigures:
    """The network's figures in these départements (or this commune), for the
    cohort asked or else the latest one, each beside its région's mean."""
    outcomes = InsertionOutcome.objects.filter(
        certification=None,
        organisation__is_published=True,
        organisation__commune__departement__code__in=departement_codes,
    )
    if commune_code:
        outcomes = outcomes.filter(organisation__commune__insee_code=commune_code)
    cohorts = sorted(
        set(outcomes.values_list("cohort", flat=True).order_by()), reverse=True
    )
    if not cohorts or (cohort and cohort not in cohorts):
        return InsertionFigures(cohort="", rows=[], cohorts=cohorts)
    cohort = cohort or cohorts[0]
    outcomes = list(
        outcomes.filter(cohort=cohort)
        .select_related("organisation__commune__departement")
        .order_by("organisation__name", "organisation_id", "pk")
    )
    regions = {o.organisation.commune.departement.region_id for o in outcomes}
    means = {
        (a.region_id, a.establishment_group, a.route, a.indicator): a
        for a in InsertionAverage.objects.filter(
            cohort=cohort, region_id__in=regions
        ).order_by("pk")
    }
    rows, withheld = [], Counter()
    for outcome in outcomes:
        region_id = outcome.organisation.commune.departement.region_id
        figures = {}
        for indicator, _label, _unit in INDICATORS:
            value = getattr(outcome, indicator)
            if value is None:
                withheld[indicator] += 1
            mean = means.get(
                (region_id, outcome.compared_group, outcome.route, indicator)
            )
            figures[indicator] = Compared(
                value=value,
                regional_mean=mean.mean if mean else None,
                regional_diffused=mean.diffused if mean else 0,
                regional_withheld=mean.withheld if mean else 0,
            )
        rows.append(
            SchoolInsertion(
                organisation_id=outcome.organisation_id,
                name=outcome.organisation.name,
                url=outcome.organisation.get_absolute_url(),
                route=outcome.route,
                group=outcome.compared_group,
                figures=figures,
            )
        )
    rows.sort(key=lambda row: (row.name, row.organisation_id, ROUTE_ORDER[row.route]))
    sources = sorted({(o.source, o.source_licence) for o in outcomes if o.source})
    return InsertionFigures(
        cohort=cohort, rows=rows, withheld=withheld, cohorts=cohorts, sources=sources
    )


def regional_means(
    *, region_id: int, cohort: str = ""
) -> tuple[str, list[InsertionAverage]]:
    """(cohort, stored means of the région for it): the latest cohort unless asked."""
    averages = InsertionAverage.objects.filter(region_id=region_id)
    cohorts = sorted(
        set(averages.values_list("cohort", flat=True).order_by()), reverse=True
    )
    if not cohorts or (cohort and cohort not in cohorts):
        return "", []
    cohort = cohort or cohorts[0]
    return cohort, list(
        averages.filter(cohort=cohort).order_by(
            "establishment_group", "route", "indicator"
        )
    )
