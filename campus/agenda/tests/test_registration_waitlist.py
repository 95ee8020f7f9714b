"""The waitlist: who is promoted when places free up, and who is not."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campus.agenda import registration as rules
from campus.agenda.models import Registration, RegistrationStatus
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.agenda.tests.registration_helpers import deliver_fixture, outbox_to  # noqa: F401

pytestmark = pytest.mark.django_db


def waiting(event, *places):
    """Waiting registrations asking for `places`, in this order of confirmation."""
    start = timezone.now() - timedelta(hours=1)
    return [
        RegistrationFactory(
            event=event,
            waitlisted=True,
            places=count,
            waitlisted_at=start + timedelta(minutes=number),
        )
        for number, count in enumerate(places)
    ]


def statuses(registrations):
    for registration in registrations:
        registration.refresh_from_db()
    return [registration.status for registration in registrations]


W, C = RegistrationStatus.WAITLISTED, RegistrationStatus.CONFIRMED


def test_a_larger_capacity_promotes_the_next_who_fit_in_order(deliver):
    """Three free places: the first (2) fits, the second (3) no longer, the third (1) does."""
    event = EventFactory(with_registration=True, capacity=4)
    RegistrationFactory(event=event, confirmed=True, places=4)
    queue = waiting(event, 2, 3, 1, 1)
    event.capacity = 7
    event.save()
    promoted = deliver(rules.fill_from_waitlist, event)
    assert [registration.pk for registration in promoted] == [queue[0].pk, queue[2].pk]
    assert statuses(queue) == [C, W, C, W]
    assert {message.to[0] for message in mail.outbox} == {
        queue[0].email,
        queue[2].email,
    }


def test_a_smaller_capacity_moves_nobody_out():
    event = EventFactory(with_registration=True, capacity=5)
    holders = RegistrationFactory.create_batch(5, event=event, confirmed=True)
    event.capacity = 2
    event.save()
    assert rules.fill_from_waitlist(event) == []
    assert statuses(holders) == [C] * 5
    assert rules.places_left(event) == 0


def test_removing_the_limit_promotes_everyone():
    event = EventFactory(with_registration=True, capacity=1)
    RegistrationFactory(event=event, confirmed=True)
    queue = waiting(event, 5, 3)
    event.capacity = None
    event.save()
    rules.fill_from_waitlist(event)
    assert statuses(queue) == [C, C]


def test_nobody_is_promoted_to_a_cancelled_or_past_event():
    for event in (
        EventFactory(with_registration=True, capacity=1, cancelled=True),
        EventFactory(with_registration=True, capacity=1),
    ):
        queue = waiting(event, 1)
        if event.state != "cancelled":
            event.starts_at = timezone.now() - timedelta(minutes=5)
        event.capacity = 10
        event.save()
        assert rules.fill_from_waitlist(event) == []
        assert statuses(queue) == [W]


def test_a_cancelled_waiting_registration_frees_nothing(deliver):
    event = EventFactory(with_registration=True, capacity=1)
    RegistrationFactory(event=event, confirmed=True)
    queue = waiting(event, 1, 1)
    deliver(rules.cancel_registration, queue[0])
    assert statuses(queue) == [RegistrationStatus.CANCELLED, W]
    assert mail.outbox == []


def test_a_new_confirmation_never_overtakes_the_waitlist():
    """While someone waits, a newcomer who does not fit waits behind them."""
    event = EventFactory(with_registration=True, capacity=2)
    RegistrationFactory(event=event, confirmed=True, places=2)
    queue = waiting(event, 1)
    newcomer = rules.confirm_registration(RegistrationFactory(event=event))
    assert newcomer.status == W
    rules.cancel_registration(Registration.objects.filter(status=C).get())
    assert statuses([queue[0], newcomer]) == [C, C]


def test_registering_for_more_places_than_the_event_has_is_refused():
    event = EventFactory(with_registration=True, capacity=3)
    with pytest.raises(rules.RegistrationClosed, match="compte 3 places en tout"):
        rules.register(event, RegistrationFactory.build(event=event, places=4))
    assert not Registration.objects.exists()


def test_reminders_go_once_to_the_confirmed_registrants_of_tomorrow(deliver):
    """Only confirmed registrants of tomorrow's events are reminded, and only once."""
    tomorrow = EventFactory(
        with_registration=True, tomorrow=True, accessibility="Accès de plain-pied."
    )
    confirmed = RegistrationFactory(event=tomorrow, confirmed=True)
    RegistrationFactory(event=tomorrow, waitlisted=True)
    RegistrationFactory(event=tomorrow)
    RegistrationFactory(event=tomorrow, cancelled=True)
    RegistrationFactory(event=EventFactory(with_registration=True), confirmed=True)
    RegistrationFactory(
        event=EventFactory(with_registration=True, tomorrow=True, cancelled=True),
        confirmed=True,
    )
    RegistrationFactory(
        event=EventFactory(with_registration=True, tomorrow=True, draft=True),
        confirmed=True,
    )
    assert deliver(rules.send_event_reminders) == 1
    [message] = mail.outbox
    assert message.to == [confirmed.email]
    assert message.subject.startswith(f"Rappel : {tomorrow.title}, ")
    assert "Accès de plain-pied." in message.body
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None
    assert deliver(rules.send_event_reminders) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_window_is_the_rest_of_today_and_tomorrow_in_paris():
    """At 23:30 in Paris on 14 March, events until midnight of the 16th are due."""
    now = timezone.make_aware(timezone.datetime(2026, 3, 14, 23, 30))
    start, end = rules.reminder_window(now)
    assert start == now
    assert timezone.localtime(end).isoformat() == "2026-03-16T00:00:00+01:00"


def test_attendance_is_marked_from_the_day_of_the_event():
    registration = RegistrationFactory(confirmed=True)
    with pytest.raises(rules.AttendanceError, match="à partir du jour"):
        rules.set_attendance(registration, attended=True, acting_user=None)
    waiting_one = RegistrationFactory(
        event=EventFactory(with_registration=True, past=True), waitlisted=True
    )
    with pytest.raises(rules.AttendanceError, match="Seules les personnes inscrites"):
        rules.set_attendance(waiting_one, attended=True, acting_user=None)
