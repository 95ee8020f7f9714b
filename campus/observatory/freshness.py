"""How fresh each open-data source is: the date of its last successful import.

A source not imported for more than 13 months is flagged: most are published
yearly, so a missed publication shows a month after it was due.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from campus.opendata.models import ImportRun, ImportSource

STALE_AFTER_MONTHS = 13


class Freshness:
    FRESH = "fresh"
    STALE = "stale"
    NEVER = "never"


LABELS = {
    Freshness.FRESH: "À jour",
    Freshness.STALE: f"Plus de {STALE_AFTER_MONTHS} mois",
    Freshness.NEVER: "Jamais importée",
}


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` earlier, or the month's last day when it is shorter
    (31 March less one month is 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class SourceFreshness:
    source: str
    label: str
    last_import: datetime | None
    state: str

    @property
    def state_label(self) -> str:
        return LABELS[self.state]


def source_freshness(now: datetime | None = None) -> list[SourceFreshness]:
    """Every source, the end of its last successful import and its state."""
    now = now or timezone.now()
    cutoff = months_before(now, STALE_AFTER_MONTHS)
    last = dict(
        ImportRun.objects.succeeded()
        .values_list("source")
        .annotate(last=Max("finished_at"))
        .order_by("source")
    )
    rows = []
    for source in ImportSource:
        finished = last.get(source.value)
        if finished is None:
            state = Freshness.NEVER
        elif finished < cutoff:
            state = Freshness.STALE
        else:
            state = Freshness.FRESH
        rows.append(SourceFreshness(source.value, source.label, finished, state))
    return rows
