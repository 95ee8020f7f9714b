"""Two people taking the last place at once, each in its own PostgreSQL connection."""

import threading

from campus.agenda import registration as rules
from campus.agenda.models import Registration, RegistrationStatus
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.testing.concurrency import POSTGRESQL_THREADS, paused_after, run_together

pytestmark = POSTGRESQL_THREADS


def _pause_after_counting(monkeypatch, barrier):
    """Makes each confirmation wait, after counting the places held, until the
    other has counted too.

    Without the event lock both threads count one free place, pass the barrier
    together and both take it; with the lock the second waits for the first's
    commit, the barrier times out, and the second counts again and finds none.
    """
    monkeypatch.setattr(rules, "places_left", paused_after(rules.places_left, barrier))


def test_two_people_confirming_for_the_last_place_exactly_one_gets_it(monkeypatch):
    """Two confirmations racing for the last place: one holds it, the other waits."""
    event = EventFactory(with_registration=True, capacity=3)
    RegistrationFactory(event=event, confirmed=True, places=2)
    first, second = RegistrationFactory.create_batch(2, event=event)
    _pause_after_counting(monkeypatch, threading.Barrier(2))
    errors = run_together(
        lambda: rules.confirm_registration(first),
        lambda: rules.confirm_registration(second),
    )
    assert errors == []
    statuses = sorted(
        Registration.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "status", flat=True
        )
    )
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    assert rules.places_held(event) == 3


def test_a_cancellation_racing_a_confirmation_never_overbooks(monkeypatch):
    """A place freed while someone confirms goes to exactly one registration."""
    event = EventFactory(with_registration=True, capacity=1)
    holder = RegistrationFactory(event=event, confirmed=True)
    waiting = RegistrationFactory(event=event, waitlisted=True)
    newcomer = RegistrationFactory(event=event)
    _pause_after_counting(monkeypatch, threading.Barrier(2))
    errors = run_together(
        lambda: rules.cancel_registration(holder),
        lambda: rules.confirm_registration(newcomer),
    )
    assert errors == []
    assert rules.places_held(event) == 1
    waiting.refresh_from_db()
    newcomer.refresh_from_db()
    assert [waiting.status, newcomer.status].count(RegistrationStatus.CONFIRMED) == 1
