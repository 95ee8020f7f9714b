"""Payments recorded at once on PostgreSQL, each in its own connection."""

import threading
from decimal import Decimal

from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.talent import followup
from campus.talent.models import Decision
from campus.talent.tests.factories import ApplicationFactory
from campus.testing.concurrency import POSTGRESQL_THREADS, paused_after, run_together

pytestmark = POSTGRESQL_THREADS


def test_two_payments_at_once_do_not_pass_the_grant(monkeypatch):
    """Two payments of 3,000 € recorded together on a 5,000 € grant: one is refused."""
    team = UserFactory(campus_team=True)
    project, _ = followup.open_supported_project(
        ApplicationFactory(submitted=True, decision=Decision.SELECTED),
        acting_user=team,
        amount_granted=Decimal("5000"),
    )
    monkeypatch.setattr(
        followup,
        "paid_total",
        paused_after(followup.paid_total, threading.Barrier(2)),
    )

    def pay():
        followup.record_payment(
            project,
            amount=Decimal("3000"),
            paid_on=timezone.localdate(),
            acting_user=team,
        )

    errors = run_together(pay, pay, catching=(followup.OverGrant,))
    assert len(errors) == 1
    assert project.payments.count() == 1
