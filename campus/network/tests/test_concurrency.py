"""Membership changes racing each other on PostgreSQL, each in its own connection."""

import threading

import pytest

from campus.accounts import services as account_services
from campus.accounts.services import AccountDeletionRefused, delete_account
from campus.network import services
from campus.network.models import MemberRole, Membership
from campus.network.tests.factories import MembershipFactory
from campus.testing.concurrency import POSTGRESQL_THREADS, paused_after, run_together

pytestmark = POSTGRESQL_THREADS


def _pause_after_check(monkeypatch, barrier):
    """Makes each change wait, after counting editors, until the other has counted."""
    monkeypatch.setattr(
        services,
        "_ensure_other_editor",
        paused_after(services._ensure_other_editor, barrier),
    )
    monkeypatch.setattr(
        account_services,
        "organisations_left_without_editor",
        paused_after(account_services.organisations_left_without_editor, barrier),
    )


def _run_together(*changes):
    return run_together(
        *changes, catching=(services.NetworkRuleError, AccountDeletionRefused)
    )


@pytest.fixture
def two_editors():
    first = MembershipFactory(role=MemberRole.EDITOR)
    second = MembershipFactory(organisation=first.organisation, role=MemberRole.EDITOR)
    return first, second


def test_editors_removing_and_demoting_each_other_keep_one_editor(
    monkeypatch, two_editors
):
    """Two editors removing and demoting each other at once leave one editor."""
    first, second = two_editors
    _pause_after_check(monkeypatch, threading.Barrier(2))
    errors = _run_together(
        lambda: services.remove_member(second, acting_user=first.user),
        lambda: services.change_member_role(
            first, role=MemberRole.VIEWER, acting_user=second.user
        ),
    )
    assert len(errors) == 1
    assert first.organisation.editors().count() == 1


def test_an_editor_deleting_their_account_while_the_other_leaves_keeps_one_editor(
    monkeypatch, two_editors
):
    """An editor deleting their account while the other leaves keeps one editor."""
    first, second = two_editors
    _pause_after_check(monkeypatch, threading.Barrier(2))
    errors = _run_together(
        lambda: delete_account(first.user),
        lambda: services.remove_member(second, acting_user=second.user),
    )
    assert len(errors) == 1
    assert Membership.objects.filter(role=MemberRole.EDITOR).count() == 1
