"""Two managers approving overlapping requests at the same moment, on PostgreSQL:
exactly one booking is approved."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, transaction

from campus.accounts.tests.factories import UserFactory
from campus.platforms import services
from campus.platforms.models import Booking, BookingStatus
from campus.platforms.tests.factories import BookingFactory
from campus.testing.concurrency import POSTGRESQL_THREADS, paused_after, run_together

pytestmark = POSTGRESQL_THREADS


@pytest.fixture
def two_requests():
    first = BookingFactory()
    second = BookingFactory(
        equipment=first.equipment,
        starts_at=first.starts_at + dt.timedelta(hours=1),
        ends_at=first.ends_at + dt.timedelta(hours=1),
    )
    return first, second


def test_two_overlapping_approvals_at_once_approve_one(monkeypatch, two_requests):
    """Each approval waits, after its overlap check, for the other: the equipment
    lock makes the second check again after the first commits, and refuse."""
    monkeypatch.setattr(
        services,
        "check_no_overlap",
        paused_after(services.check_no_overlap, threading.Barrier(2)),
    )
    first, second = two_requests
    errors = run_together(
        lambda: services.approve_booking(first, acting_user=UserFactory()),
        lambda: services.approve_booking(second, acting_user=UserFactory()),
        catching=(services.BookingRuleError,),
    )
    assert len(errors) == 1
    assert isinstance(errors[0], services.BookingOverlap)
    assert Booking.objects.approved().count() == 1


def test_without_the_lock_the_exclusion_constraint_still_refuses(
    monkeypatch, two_requests
):
    """With the check and the lock taken away, both approvals pass the check; the
    database's exclusion constraint refuses the second with the same French error."""
    monkeypatch.setattr(services, "_lock", lambda booking: booking)
    monkeypatch.setattr(
        services,
        "check_no_overlap",
        paused_after(lambda booking: None, threading.Barrier(2)),
    )
    first, second = two_requests
    errors = run_together(
        lambda: services.approve_booking(first, acting_user=UserFactory()),
        lambda: services.approve_booking(second, acting_user=UserFactory()),
        catching=(services.BookingRuleError,),
    )
    assert [type(error) for error in errors] == [services.BookingOverlap]
    assert "chevauche" in errors[0].message
    assert Booking.objects.approved().count() == 1


def test_the_constraint_refuses_an_overlapping_write(two_requests):
    """A write that skips the service is refused by PostgreSQL; a pending or
    back-to-back booking is not."""
    first, second = two_requests
    Booking.objects.filter(pk=first.pk).update(status=BookingStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=second.pk).update(status=BookingStatus.APPROVED)
    BookingFactory(
        equipment=first.equipment,
        approved=True,
        starts_at=first.ends_at,
        ends_at=first.ends_at + dt.timedelta(hours=1) + dt.timedelta(hours=1),
    )
