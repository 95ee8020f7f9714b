"""The scheduled commands: reminders of the day before, erasure after the event."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campus.accounts.services import purge_personal_data
from campus.agenda import registration as rules
from campus.agenda.models import Registration, RegistrationStatus
from campus.agenda.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def old_event(days_after_end):
    end = timezone.now() - timedelta(days=days_after_end)
    return EventFactory(
        with_registration=True, starts_at=end - timedelta(hours=3), ends_at=end
    )


def test_send_event_reminders_reports_its_count_and_is_idempotent(
    run_tasks, django_capture_on_commit_callbacks
):
    RegistrationFactory.create_batch(
        2, event=EventFactory(with_registration=True, tomorrow=True), confirmed=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run("send_event_reminders") == "2 rappel(s) envoyé(s).\n"
        assert run("send_event_reminders") == "0 rappel(s) envoyé(s).\n"
    run_tasks()
    assert len(mail.outbox) == 2


def test_the_reminder_task_runs_the_same_reminders(
    run_tasks, django_capture_on_commit_callbacks
):
    RegistrationFactory(
        event=EventFactory(with_registration=True, tomorrow=True), confirmed=True
    )
    rules.send_event_reminders_task.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()
    assert len(mail.outbox) == 1


@pytest.fixture
def registrations():
    """Registrations of an event ended 91 days ago, one of 89 days, and stale ones."""
    old = old_event(91)
    return {
        "old_confirmed": RegistrationFactory(
            event=old,
            confirmed=True,
            places=3,
            school_name="Collège Buffon",
            pupil_count=2,
            attended=True,
        ),
        "old_cancelled": RegistrationFactory(event=old, cancelled=True),
        "recent": RegistrationFactory(event=old_event(89), confirmed=True),
        "expired_unconfirmed": RegistrationFactory(),
        "fresh_unconfirmed": RegistrationFactory(),
    }


def _expire(registrations):
    Registration.objects.filter(pk=registrations["expired_unconfirmed"].pk).update(
        created_at=timezone.now() - timedelta(hours=49)
    )


def test_erase_dry_run_counts_and_changes_nothing(registrations):
    _expire(registrations)
    before = list(Registration.objects.order_by("pk").values())
    output = run("erase_past_registrations", "--dry-run")
    assert output == (
        "2 inscription(s) seraient anonymisée(s), 1 inscription(s) non confirmée(s) "
        "seraient supprimée(s).\n"
    )
    assert list(Registration.objects.order_by("pk").values()) == before


def test_erase_keeps_anonymous_counts_and_kills_the_links(client, registrations):
    """Past the retention, names, e-mails and schools go; places and presence stay."""
    _expire(registrations)
    old = registrations["old_confirmed"]
    output = run("erase_past_registrations")
    assert output.startswith("2 inscription(s) ont été anonymisée(s), 1 ")
    old_row = Registration.objects.get(pk=old.pk)
    assert (old_row.name, old_row.email, old_row.school_name) == ("", "", "")
    assert (old_row.places, old_row.pupil_count, old_row.attended) == (3, 2, True)
    assert old_row.status == RegistrationStatus.CONFIRMED
    assert client.get(old.get_cancellation_url()).status_code == 404
    recent = Registration.objects.get(pk=registrations["recent"].pk)
    assert recent.email == registrations["recent"].email
    assert not Registration.objects.filter(
        pk=registrations["expired_unconfirmed"].pk
    ).exists()
    assert Registration.objects.filter(
        pk=registrations["fresh_unconfirmed"].pk
    ).exists()
    assert run("erase_past_registrations").startswith("0 inscription(s)")


def test_purge_personal_data_erases_registrations_too(registrations):
    """One scheduled purge covers the registrants as well."""
    _expire(registrations)
    counts = purge_personal_data()
    assert counts["registrations"] == 3
    assert Registration.objects.filter(email="").count() == 2
    output = run("purge_personal_data")
    assert "0 inscription(s) à un événement effacée(s)" in output


def test_the_privacy_page_states_the_retention_of_registrations(client):
    """The personal-data page says what registrations hold and when they go."""
    page = client.get("/donnees-personnelles/").content.decode()
    assert "Inscriptions aux événements" in page
    assert "effacée après 48 heures" in page
    assert "effacés 90 jours après la fin de l" in page
