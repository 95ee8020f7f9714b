import pytest

from campus.agenda.demo import load_demo_agenda
from campus.agenda.models import Event, EventKind, EventState, Registration
from campus.moderation import ModerationStatus

pytestmark = pytest.mark.django_db


def test_demo_agenda_loads_twice_without_duplicates(demo_campus):
    """The demo agenda is believable, flagged « démo », and loading it again adds nothing."""
    events, registrations = Event.objects.count(), Registration.objects.count()
    assert load_demo_agenda() == events
    assert (Event.objects.count(), Registration.objects.count()) == (
        events,
        registrations,
    )
    assert events >= 10
    assert not Event.objects.filter(is_demo=False).exists()
    assert all(
        "(démo)" in title for title in Event.objects.values_list("title", flat=True)
    )
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {
        EventKind.OPEN_DAY,
        EventKind.JEMA,
        EventKind.FAIR,
        EventKind.WORKSHOP,
    } <= kinds
    open_day = Event.objects.filter(kind=EventKind.OPEN_DAY).upcoming().first()
    assert open_day.offerings.exists()
    assert Event.objects.filter(state=EventState.POSTPONED).exists()
    assert Event.objects.filter(status=ModerationStatus.SUBMITTED).exists()
    assert Event.objects.exclude(pk__in=Event.objects.upcoming()).count() >= 2
    workshop = Event.objects.get(registration_enabled=True)
    assert set(workshop.registrations.values_list("status", flat=True)) == {
        "confirmed",
        "waitlisted",
    }
    assert all(
        email.endswith("@example.org")
        for email in Registration.objects.values_list("email", flat=True)
    )
