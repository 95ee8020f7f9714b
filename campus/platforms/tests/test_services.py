"""Bookings: the slot rules, the clock changes, the decisions and their e-mails,
the week calendar, the manager's feed and the usage statistics."""

import datetime as dt

import icalendar
import pytest

from campus.accounts.tests.factories import UserFactory
from campus.dates import InvalidLocalTime, paris_instant
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.platforms import services
from campus.platforms.calendar import booking_feed, week
from campus.platforms.models import Booking, BookingStatus
from campus.platforms.tests.factories import BookingFactory, EquipmentFactory
from campus.platforms.times import PARIS, elapsed

pytestmark = pytest.mark.django_db

# Before the clock changes of 2027, so that every slot below is to come.
NOW = dt.datetime(2027, 1, 4, 9, tzinfo=PARIS)


def paris(*args):
    return paris_instant(dt.datetime(*args), repeated_hour="refuse")


@pytest.fixture
def requester():
    membership = MembershipFactory(role=MemberRole.VIEWER)
    return membership.user, membership.organisation


def request(equipment, requester, start, end, **kwargs):
    user, organisation = requester
    return services.request_booking(
        equipment,
        requester=user,
        organisation=organisation,
        starts_at=start,
        ends_at=end,
        purpose="Essais.",
        now=kwargs.pop("now", NOW),
        **kwargs,
    )


# Clock changes


def test_a_night_across_the_spring_change_lasts_eleven_hours(requester):
    """Saturday 28 March 2027 22:00 to Sunday 10:00 lasts 11 hours: the clocks skip one."""
    booking = request(
        EquipmentFactory(), requester, paris(2027, 3, 27, 22), paris(2027, 3, 28, 10)
    )
    assert booking.duration_hours == 11


def test_a_night_across_the_autumn_change_lasts_thirteen_hours(requester):
    """Saturday 30 October 2027 22:00 to Sunday 10:00 lasts 13 hours: one hour repeats."""
    booking = request(
        EquipmentFactory(), requester, paris(2027, 10, 30, 22), paris(2027, 10, 31, 10)
    )
    assert booking.duration_hours == 13


def test_a_time_in_the_spring_gap_is_refused_with_a_clear_message():
    """02:30 on 28 March 2027 does not exist in Paris: the message says why."""
    with pytest.raises(InvalidLocalTime, match="n'existe pas.*heure d'été"):
        paris(2027, 3, 28, 2, 30)


def test_a_time_of_the_repeated_autumn_hour_is_refused_rather_than_guessed():
    """02:30 on 31 October 2027 happens twice: the message asks for another time."""
    with pytest.raises(InvalidLocalTime, match="existe deux fois"):
        paris(2027, 10, 31, 2, 30)


def test_the_week_calendar_places_a_night_across_the_spring_change():
    """The booking shows 22 h to midnight on Saturday and 0 h to 10 h on Sunday, the
    Sunday's bar being measured on its 23 hours."""
    booking = BookingFactory(
        approved=True,
        starts_at=paris(2027, 3, 27, 22),
        ends_at=paris(2027, 3, 28, 10),
    )
    days = week(booking.equipment, dt.date(2027, 3, 22))
    assert [day.date.day for day in days] == [22, 23, 24, 25, 26, 27, 28]
    assert [slot.label for slot in days[5].slots] == ["Réservé de 22 h à 24 h"]
    assert [slot.label for slot in days[6].slots] == ["Réservé de 0 h à 10 h"]
    # 9 elapsed hours of a 23-hour day.
    assert days[6].slots[0].width == round(100 * 9 / 23, 2)
    assert all(not day.slots for day in days[:5])


def test_the_week_calendar_places_a_night_across_the_autumn_change():
    """Sunday 31 October 2027 lasts 25 hours: 0 h to 10 h is 11 elapsed hours of it."""
    booking = BookingFactory(
        approved=True,
        starts_at=paris(2027, 10, 30, 22),
        ends_at=paris(2027, 10, 31, 10),
    )
    days = week(booking.equipment, dt.date(2027, 10, 25))
    assert [slot.label for slot in days[5].slots] == ["Réservé de 22 h à 24 h"]
    assert [slot.label for slot in days[6].slots] == ["Réservé de 0 h à 10 h"]
    assert days[6].slots[0].width == round(100 * 11 / 25, 2)
    assert days[5].slots[0].offset == round(100 * 22 / 24, 2)


def test_the_week_calendar_shows_only_approved_bookings():
    """A pending or refused request leaves the day free in the public calendar."""
    equipment = EquipmentFactory()
    start = paris(2027, 3, 23, 9)
    BookingFactory(
        equipment=equipment, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    BookingFactory(
        equipment=equipment,
        refused=True,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    assert all(not day.slots for day in week(equipment, dt.date(2027, 3, 22)))


def test_the_week_calendar_reads_its_bookings_in_one_query(
    django_assert_num_queries,
):
    """However many bookings the week shows."""
    equipment = EquipmentFactory()
    for day in range(22, 27):
        start = paris(2027, 3, day, 9)
        BookingFactory(
            equipment=equipment,
            approved=True,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
        )
    with django_assert_num_queries(1):
        days = week(equipment, dt.date(2027, 3, 22))
    assert sum(len(day.slots) for day in days) == 5


# Slot rules


def test_an_end_before_the_start_is_refused(requester):
    """An end before the start gives a French 400 and creates nothing."""
    with pytest.raises(services.InvalidBooking, match="après son début") as error:
        request(
            EquipmentFactory(), requester, paris(2027, 2, 1, 12), paris(2027, 2, 1, 9)
        )
    assert error.value.status_code == 400
    assert not Booking.objects.exists()


def test_a_slot_in_the_past_is_refused(requester):
    """A slot that started before now is refused."""
    with pytest.raises(services.InvalidBooking, match="passé"):
        request(
            EquipmentFactory(), requester, paris(2027, 1, 3, 9), paris(2027, 1, 3, 12)
        )
    assert not Booking.objects.exists()


def test_a_slot_longer_than_fourteen_days_is_refused(requester):
    """Fifteen days in one request is refused; fourteen are accepted."""
    equipment = EquipmentFactory()
    with pytest.raises(services.InvalidBooking, match="14 jours"):
        request(equipment, requester, paris(2027, 2, 1, 9), paris(2027, 2, 16, 9))
    request(equipment, requester, paris(2027, 2, 1, 9), paris(2027, 2, 15, 9))


def test_a_partner_books_only_for_their_own_organisation(requester):
    """Naming an organisation the requester does not belong to is refused."""
    user, _organisation = requester
    with pytest.raises(services.InvalidBooking, match="membre"):
        request(
            EquipmentFactory(),
            (user, OrganisationFactory()),
            paris(2027, 2, 1, 9),
            paris(2027, 2, 1, 12),
        )


def test_a_request_over_an_approved_booking_is_refused_at_once(requester):
    """A slot overlapping an approved booking is refused with a 409, nothing created."""
    taken = BookingFactory(
        approved=True, starts_at=paris(2027, 2, 1, 9), ends_at=paris(2027, 2, 1, 12)
    )
    with pytest.raises(services.BookingOverlap, match="chevauche") as error:
        request(
            taken.equipment, requester, paris(2027, 2, 1, 11), paris(2027, 2, 1, 14)
        )
    assert error.value.status_code == 409
    assert Booking.objects.count() == 1


def test_back_to_back_slots_do_not_overlap(requester):
    """A slot starting when an approved one ends is free."""
    taken = BookingFactory(
        approved=True, starts_at=paris(2027, 2, 1, 9), ends_at=paris(2027, 2, 1, 12)
    )
    booking = request(
        taken.equipment, requester, paris(2027, 2, 1, 12), paris(2027, 2, 1, 14)
    )
    services.approve_booking(booking, acting_user=UserFactory(), now=NOW)
    assert Booking.objects.approved().count() == 2


# Decisions and e-mails


def test_a_request_mails_the_manager_and_the_requester(
    requester, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    """The manager is asked to decide; the requester gets a receipt."""
    manager = UserFactory(email="technicien@plateforme.fr")
    equipment = EquipmentFactory(manager=manager, name="Pareuse")
    with django_capture_on_commit_callbacks(execute=True):
        request(equipment, requester, paris(2027, 2, 1, 9), paris(2027, 2, 1, 12))
    run_tasks()
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"technicien@plateforme.fr", requester[0].email}
    asked = by_recipient["technicien@plateforme.fr"]
    assert "Pareuse" in asked.subject
    assert "lundi 1er février 2027 à 9 h" in asked.body
    assert "/espace/plateformes/reservations/" in asked.body


def test_without_manager_the_platform_editors_decide(
    requester, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    """An equipment without a manager sends its requests to the platform's editors."""
    equipment = EquipmentFactory()
    editor = MembershipFactory(organisation=equipment.organisation).user
    MembershipFactory(organisation=equipment.organisation, role=MemberRole.VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        request(equipment, requester, paris(2027, 2, 1, 9), paris(2027, 2, 1, 12))
    run_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [editor.email, requester[0].email]
    )


def test_approving_mails_the_requester_and_the_manager(
    mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    manager = UserFactory()
    booking = BookingFactory(
        equipment=EquipmentFactory(manager=manager),
        starts_at=paris(2027, 2, 1, 9),
        ends_at=paris(2027, 2, 1, 12),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_booking(booking, acting_user=manager, now=NOW)
    run_tasks()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    assert booking.decided_by == manager
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[booking.requester.email].startswith("Réservation acceptée")
    assert subjects[manager.email].startswith("Réservation acceptée")


def test_approving_over_an_approved_booking_is_refused_and_changes_nothing():
    """Two requests for the same hour: the second approval is a 409."""
    first = BookingFactory(
        starts_at=paris(2027, 2, 1, 9), ends_at=paris(2027, 2, 1, 12)
    )
    second = BookingFactory(
        equipment=first.equipment,
        starts_at=paris(2027, 2, 1, 10),
        ends_at=paris(2027, 2, 1, 11),
    )
    services.approve_booking(first, acting_user=UserFactory(), now=NOW)
    with pytest.raises(services.BookingOverlap):
        services.approve_booking(second, acting_user=UserFactory(), now=NOW)
    second.refresh_from_db()
    assert second.status == BookingStatus.PENDING
    assert second.decided_by is None


def test_refusing_needs_a_reason_sent_to_the_requester(
    mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    booking = BookingFactory(
        starts_at=paris(2027, 2, 1, 9), ends_at=paris(2027, 2, 1, 12)
    )
    with pytest.raises(services.InvalidBooking, match="motif"):
        services.refuse_booking(booking, acting_user=UserFactory(), reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_booking(
            booking, acting_user=UserFactory(), reason="Machine en maintenance."
        )
    run_tasks()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REFUSED
    to_requester = [m for m in mailoutbox if m.to == [booking.requester.email]]
    assert "Machine en maintenance." in to_requester[0].body


def test_a_decided_request_cannot_be_decided_again():
    booking = BookingFactory(refused=True)
    with pytest.raises(services.BookingRuleError, match="refusée"):
        services.approve_booking(booking, acting_user=UserFactory())


def test_cancelling_frees_the_slot():
    booking = BookingFactory(approved=True)
    services.cancel_booking(booking, acting_user=booking.requester)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    with pytest.raises(services.BookingRuleError, match="annulée"):
        services.cancel_booking(booking, acting_user=booking.requester)


# The manager's feed


def test_the_feed_lists_approved_bookings_in_paris_time_with_who_booked():
    """Parsed back, the feed has the approved booking across the spring change, its
    requester and purpose, and the Europe/Paris VTIMEZONE; not the pending one."""
    requester = UserFactory(full_name="Camille Martin")
    booking = BookingFactory(
        approved=True,
        requester=requester,
        purpose="Gravure de plaques.",
        starts_at=paris(2027, 3, 27, 22),
        ends_at=paris(2027, 3, 28, 10),
    )
    BookingFactory(
        equipment=booking.equipment,
        starts_at=paris(2027, 4, 1, 9),
        ends_at=paris(2027, 4, 1, 10),
    )
    calendar = icalendar.Calendar.from_ical(booking_feed(booking.equipment))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == paris(2027, 3, 27, 22)
    assert event.decoded("dtend") == paris(2027, 3, 28, 10)
    assert elapsed(event.decoded("dtstart"), event.decoded("dtend")) == dt.timedelta(
        hours=11
    )
    assert "Camille Martin" in str(event["summary"])
    assert "Gravure de plaques." in str(event["description"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


# Usage


def test_usage_counts_elapsed_hours_by_paris_month():
    """A booking across the end of March gives its hours to March and April; the
    spring change takes an hour off; pending and refused requests do not count."""
    equipment = EquipmentFactory()
    BookingFactory(
        equipment=equipment,
        approved=True,
        starts_at=paris(2027, 3, 27, 22),
        ends_at=paris(2027, 3, 28, 10),
    )
    BookingFactory(
        equipment=equipment,
        approved=True,
        starts_at=paris(2027, 3, 31, 20),
        ends_at=paris(2027, 4, 1, 2),
    )
    BookingFactory(
        equipment=equipment,
        starts_at=paris(2027, 5, 3, 9),
        ends_at=paris(2027, 5, 3, 12),
    )
    BookingFactory(
        equipment=equipment,
        refused=True,
        starts_at=paris(2027, 5, 4, 9),
        ends_at=paris(2027, 5, 4, 12),
    )
    other = EquipmentFactory()
    [row, other_row] = sorted(
        services.usage_by_month(2027), key=lambda row: row.equipment != equipment
    )
    assert row.hours[2] == 11 + 4
    assert row.hours[3] == 2
    assert row.bookings[2] == 2 and row.bookings[3] == 0
    assert row.total_hours == 17 and row.total_bookings == 2
    assert other_row.equipment == other and other_row.total_hours == 0
    assert services.usage_by_month(2026)[0].total_hours == 0
