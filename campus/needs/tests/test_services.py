"""The six-month review reminder: once per need, to the editors, until reviewed again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campus.needs import services
from campus.needs.models import Need
from campus.needs.tests.factories import NeedFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("send_need_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def stale_need():
    need = NeedFactory(stale=True, appellation="Coupeur / Coupeuse")
    MembershipFactory(organisation=need.organisation, user__email="editrice@atelier.fr")
    MembershipFactory(
        organisation=need.organisation,
        role=MemberRole.VIEWER,
        user__email="lecteur@atelier.fr",
    )
    return need


def test_reminder_goes_to_the_editors_once(
    stale_need, run_tasks, django_capture_on_commit_callbacks
):
    NeedFactory(stale=True, organisation=stale_need.organisation, appellation="Piqueur")
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "1 rappel(s) envoyé(s).\n"
        assert run() == "0 rappel(s) envoyé(s).\n"
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editrice@atelier.fr"]
    assert "Coupeur / Coupeuse" in message.body and "Piqueur" in message.body
    assert f"/espace/besoins/{stale_need.pk}/" in message.body


def test_recent_closed_and_reviewed_needs_get_no_reminder(stale_need):
    NeedFactory(stale=True, met=True)
    NeedFactory(stale=True, dropped=True)
    NeedFactory(reviewed_at=timezone.now() - timedelta(days=170))
    services.confirm_need(stale_need, acting_user=None)
    assert not Need.objects.due_for_review(timezone.now()).exists()
    assert services.send_review_reminders() == 0


def test_a_need_reviewed_after_its_reminder_is_reminded_six_months_later(stale_need):
    now = timezone.now()
    assert services.send_review_reminders(now=now) == 1
    Need.objects.filter(pk=stale_need.pk).update(reviewed_at=now + timedelta(days=1))
    assert services.send_review_reminders(now=now + timedelta(days=100)) == 0
    assert services.send_review_reminders(now=now + timedelta(days=190)) == 1


def test_reminder_reaches_the_real_smtp_server(
    stale_need, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_review_reminders_task.enqueue()
        run_tasks()
    run_tasks()
    assert [m.recipients for m in smtp_server.messages] == [["editrice@atelier.fr"]]
