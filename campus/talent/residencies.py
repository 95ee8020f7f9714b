"""Artist residencies at the network's workshops and schools.

The team writes and publishes them; the public list sorts them into current,
upcoming and past ones, each with its host and the works produced there
(showcase items of the network).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from campus.slugs import unique_slug
from campus.talent.models import Residency
from campus.trades.models import ShowcaseItem

# Fixed addresses beside the residencies' own under /talents/residences/.
RESERVED_SLUGS = {"nouvelle"}


@dataclass
class ResidencyPeriods:
    current: list[Residency]
    upcoming: list[Residency]
    past: list[Residency]

    def __bool__(self):
        return bool(self.current or self.upcoming or self.past)


def with_public_works(residencies):
    """Residencies with their host, trades and published works, in few queries."""
    return residencies.select_related("host").prefetch_related(
        "trades",
        Prefetch(
            "works",
            queryset=ShowcaseItem.objects.published().order_by("title", "pk"),
            to_attr="public_works",
        ),
    )


def residencies_by_period(residencies, *, today: datetime.date) -> ResidencyPeriods:
    """Current ones (soonest end first), upcoming ones (soonest start first), past
    ones (latest first)."""
    residencies = with_public_works(residencies)
    return ResidencyPeriods(
        current=list(residencies.current(today).order_by("ends_on", "pk")),
        upcoming=list(residencies.upcoming(today).order_by("starts_on", "pk")),
        past=list(residencies.past(today).order_by("-ends_on", "-pk")),
    )


def save_residency(residency: Residency, *, trades, works, acting_user) -> Residency:
    """Creates or updates a residency; a new one gets its address from its title."""
    with transaction.atomic():
        if not residency.slug:
            residency.slug = unique_slug(
                Residency,
                residency.title,
                max_length=220,
                default="residence",
                reserved=RESERVED_SLUGS,
            )
        residency.save()
        residency.trades.set(trades)
        residency.works.set(works)
    return residency
