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
    # One query, split here: an organisation's page shows this on every visit.
    rows = list(with_public_works(residencies).order_by("starts_on", "pk"))
    return ResidencyPeriods(
        current=sorted(
            (r for r in rows if r.starts_on <= today <= r.ends_on),
            key=lambda r: (r.ends_on, r.pk),
        ),
        upcoming=[r for r in rows if r.starts_on > today],
        past=sorted(
            (r for r in rows if r.ends_on < today),
            key=lambda r: (r.ends_on, r.pk),
            reverse=True,
        ),
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
