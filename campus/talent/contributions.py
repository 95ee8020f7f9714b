"""What the calls add to other pages: the open calls on the home page."""

from django.utils import timezone

from campus import contributions
from campus.contributions import HomeSection
from campus.talent.models import Call, CallState

HOME_CALLS = 3


def _open_calls(user) -> dict | None:
    now = timezone.now()
    calls = list(
        Call.objects.published().open_at(now).order_by("closes_at", "pk")[:HOME_CALLS]
    )
    if not calls:
        return None
    return {"calls": calls, "state": CallState.OPEN}


contributions.home_page.register(
    HomeSection("talent/_home_calls.html", _open_calls, order=45)
)
