from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.outreach.models import InterventionRequest, RequestStatus
from campus.outreach.services import (
    OutreachError,
    assign_request,
    confirm_request,
    outreach_summary,
    purge_unconfirmed_requests,
    record_outcome,
    submit_request,
)
from campus.outreach.tests.factories import InterventionRequestFactory
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db


def age(request, days):
    InterventionRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_purge_deletes_only_unconfirmed_requests_older_than_7_days():
    """Expired unconfirmed requests go; recent or confirmed ones stay; --dry-run only counts."""
    expired, recent = InterventionRequestFactory(), InterventionRequestFactory()
    old_confirmed = InterventionRequestFactory(confirmed=True)
    age(expired, 8)
    age(recent, 6)
    age(old_confirmed, 30)
    out = StringIO()
    call_command("purge_unconfirmed_requests", "--dry-run", stdout=out)
    assert "à supprimer : 1" in out.getvalue()
    assert InterventionRequest.objects.count() == 3
    call_command("purge_unconfirmed_requests", stdout=out)
    assert set(InterventionRequest.objects.all()) == {recent, old_confirmed}


def test_purge_also_erases_the_history_of_purged_requests():
    """Nothing of an expired unconfirmed request is kept, as its e-mail promised."""
    expired, recent = InterventionRequestFactory(), InterventionRequestFactory()
    age(expired, 8)
    purge_unconfirmed_requests()
    assert set(InterventionRequest.history.values_list("id", flat=True)) == {recent.pk}


def test_assigning_records_who_entrusted_the_request():
    """The history of a request says who entrusted it to which partner."""
    request = InterventionRequestFactory(confirmed=True)
    team_member = UserFactory(campus_team=True)
    organisation = OrganisationFactory()
    assign_request(
        request,
        organisation=organisation,
        scheduled_for=None,
        team_notes="",
        acting_user=team_member,
    )
    latest = request.history.first()
    assert latest.history_user == team_member
    assert latest.assigned_organisation_id == organisation.pk


def test_recording_the_outcome_records_who_did_it():
    """The history of a request says who recorded its outcome."""
    request = InterventionRequestFactory(assigned=True)
    team_member = UserFactory(campus_team=True)
    record_outcome(
        request,
        held_on=timezone.localdate(),
        pupils_reached=20,
        artisans_involved=2,
        outcome="Très bon accueil.",
        acting_user=team_member,
    )
    latest = request.history.first()
    assert (latest.status, latest.history_user) == (RequestStatus.DONE, team_member)


def test_the_history_leaves_out_the_teachers_details():
    """The teacher's name, e-mail, phone and message, and the link, are not copied."""
    fields = {field.name for field in InterventionRequest.history.model._meta.fields}
    assert not fields & {
        "teacher_name",
        "teacher_email",
        "teacher_phone",
        "message",
        "token",
    }


@pytest.fixture
def sent(django_capture_on_commit_callbacks, run_tasks):
    """Runs a service as if its transaction committed; returns what it gave and mailed."""

    def run(service, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = service(*args, **kwargs)
        run_tasks()
        return result, list(mail.outbox)

    return run


@pytest.fixture
def partner():
    """An organisation with an active member and a former one."""
    organisation = OrganisationFactory(name="Atelier du Cuir")
    MembershipFactory(
        organisation=organisation, user=UserFactory(email="artisan@atelier.fr")
    )
    MembershipFactory(
        organisation=organisation,
        user=UserFactory(email="parti@atelier.fr", is_active=False),
    )
    return organisation


def assign(request, organisation, scheduled_for=None, team_notes=""):
    return assign_request(
        request,
        organisation=organisation,
        scheduled_for=scheduled_for,
        team_notes=team_notes,
        acting_user=UserFactory(campus_team=True),
    )


def close(request, outcome=""):
    return record_outcome(
        request,
        held_on=date(2026, 1, 15),
        pupils_reached=24,
        artisans_involved=2,
        outcome=outcome,
        acting_user=UserFactory(campus_team=True),
    )


def test_purge_counts_without_deleting_in_a_dry_run():
    """A dry run returns how many expired requests would go and deletes none."""
    expired = InterventionRequestFactory()
    age(expired, 8)
    assert purge_unconfirmed_requests(dry_run=True) == 1
    assert purge_unconfirmed_requests() == 1
    assert not InterventionRequest.objects.exists()


def test_submitted_request_waits_for_the_teacher_to_confirm_it(sent):
    """A new request is saved unconfirmed with its trades, and only its link is e-mailed."""
    trade = TradeFactory()
    request = InterventionRequestFactory.build(
        status=RequestStatus.NEW, school_name="Collège Buffon"
    )
    request, emails = sent(submit_request, request, trades=[trade])
    request.refresh_from_db()
    assert request.status == RequestStatus.UNCONFIRMED
    assert list(request.trades.all()) == [trade]
    [email] = emails
    assert email.to == [request.teacher_email]
    assert email.subject == "Confirmez votre demande d'intervention"
    assert settings.CAMPUS_SITE_URL + request.get_confirmation_url() in email.body
    # The sender is not confirmed yet: nothing they typed goes to the address.
    assert "Collège Buffon" not in email.body


def test_confirmed_request_reaches_the_active_team_members(sent):
    """Confirming opens the request to the team and e-mails its active members only."""
    UserFactory(email="b@campus.example", campus_team=True)
    UserFactory(email="a@campus.example", campus_team=True)
    UserFactory(email="ancien@campus.example", campus_team=True, is_active=False)
    MembershipFactory(user=UserFactory(email="partenaire@atelier.fr"))
    request, emails = sent(confirm_request, InterventionRequestFactory())
    assert request.status == RequestStatus.NEW and request.confirmed_at
    [email] = emails
    assert email.to == ["a@campus.example", "b@campus.example"]
    assert email.subject == f"Nouvelle demande d'intervention : {request}"
    assert (
        reverse("outreach:team_request_detail", kwargs={"pk": request.pk}) in email.body
    )


def test_confirmation_without_a_team_sends_nothing(sent):
    """With nobody in the team, the request is confirmed and no e-mail is sent."""
    request, emails = sent(confirm_request, InterventionRequestFactory())
    assert request.status == RequestStatus.NEW and emails == []


@pytest.mark.parametrize("state", ["expired", "used"])
def test_a_confirmation_link_works_once_and_for_seven_days(state):
    """An expired or already used link is refused with a French message."""
    if state == "expired":
        request = InterventionRequestFactory()
        age(request, 8)
    else:
        request = InterventionRequestFactory(confirmed=True)
    with pytest.raises(OutreachError, match="a expiré ou a déjà été utilisé"):
        confirm_request(request)
    request.refresh_from_db()
    assert request.status == (
        RequestStatus.UNCONFIRMED if state == "expired" else RequestStatus.NEW
    )


def test_entrusting_a_request_tells_the_partners_active_members(sent, partner):
    """The partner's active members learn of the request; the teacher waits for a date."""
    request = InterventionRequestFactory(confirmed=True, school_name="Collège Buffon")
    request, emails = sent(assign, request, partner, team_notes="Appeler le matin")
    assert request.status == RequestStatus.ASSIGNED
    assert request.assigned_organisation == partner
    assert request.team_notes == "Appeler le matin"
    [email] = emails
    assert email.to == ["artisan@atelier.fr"]
    assert email.subject == "Le campus vous confie une intervention en classe"
    assert "Atelier du Cuir" in email.body and "Collège Buffon" in email.body
    assert (
        reverse("outreach:partner_request_detail", kwargs={"pk": request.pk})
        in email.body
    )


def test_a_date_is_told_to_the_teacher_once(sent, partner):
    """Setting a date e-mails the teacher; saving the same date again sends nothing."""
    request = InterventionRequestFactory(assigned=True, assigned_organisation=partner)
    when = timezone.make_aware(datetime(2026, 3, 12, 9, 0))
    request, emails = sent(assign, request, partner, when)
    assert request.status == RequestStatus.SCHEDULED
    [email] = emails
    assert email.to == [request.teacher_email]
    assert email.subject == "Votre intervention en classe est programmée"
    assert "le jeudi 12 mars 2026 à 9 h, avec Atelier du Cuir" in email.body
    _, emails = sent(assign, request, partner, when)
    assert emails == []


def test_entrusting_to_another_partner_with_a_date_tells_everyone(sent, partner):
    """A new partner and a date: both its members and the teacher are told."""
    request = InterventionRequestFactory(assigned=True)
    when = timezone.make_aware(datetime(2026, 3, 12, 9, 0))
    _, emails = sent(assign, request, partner, when)
    assert sorted(email.to[0] for email in emails) == sorted(
        ["artisan@atelier.fr", request.teacher_email]
    )


def test_removing_the_date_puts_the_request_back_to_assigned(partner):
    """Without a date the request is entrusted, not scheduled."""
    request = InterventionRequestFactory(
        assigned=True,
        assigned_organisation=partner,
        status=RequestStatus.SCHEDULED,
        scheduled_for=timezone.now(),
    )
    request = assign(request, partner)
    assert request.status == RequestStatus.ASSIGNED and request.scheduled_for is None


@pytest.mark.parametrize(
    "status",
    [RequestStatus.UNCONFIRMED, RequestStatus.DONE, RequestStatus.CANCELLED],
)
def test_an_unconfirmed_closed_or_cancelled_request_cannot_be_entrusted(
    status, partner
):
    """Only confirmed, open requests can be entrusted; the request stays as it was."""
    request = InterventionRequestFactory(status=status)
    with pytest.raises(OutreachError, match="ne peut plus être confiée"):
        assign(request, partner)
    request.refresh_from_db()
    assert request.status == status and request.assigned_organisation is None


@pytest.mark.parametrize("status", [RequestStatus.NEW, RequestStatus.ASSIGNED])
def test_the_outcome_closes_the_request(status):
    """Recording what happened stores the figures and marks the request done."""
    request = close(InterventionRequestFactory(status=status), outcome="Très bien.")
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert (request.held_on, request.pupils_reached, request.artisans_involved) == (
        date(2026, 1, 15),
        24,
        2,
    )
    assert request.outcome == "Très bien."


def test_an_unconfirmed_request_has_no_outcome():
    """A request the teacher never confirmed cannot be closed with an outcome."""
    request = InterventionRequestFactory()
    with pytest.raises(OutreachError, match="n'a pas été confirmée"):
        close(request)
    request.refresh_from_db()
    assert request.status == RequestStatus.UNCONFIRMED


def test_summary_counts_done_requests_only():
    """Pupils, artisans and interventions come from done requests; no request, zeros."""
    assert outreach_summary(InterventionRequest.objects.all()) == {
        "interventions": 0,
        "pupils": 0,
        "artisans": 0,
        "schools": 0,
        "by_level": [],
    }
    done = {"status": RequestStatus.DONE, "artisans_involved": 1}
    InterventionRequestFactory(**done, pupils_reached=20, class_level="3e")
    InterventionRequestFactory(**done, pupils_reached=25, class_level="cm")
    InterventionRequestFactory(**done, pupils_reached=5, class_level="3e")
    InterventionRequestFactory(assigned=True, pupils_reached=99)
    summary = outreach_summary(InterventionRequest.objects.all())
    assert (summary["interventions"], summary["pupils"], summary["artisans"]) == (
        3,
        50,
        3,
    )
    # Levels come in the school order, not by count.
    assert summary["by_level"] == [
        ("CM1 - CM2 (école élémentaire)", 25),
        ("3e (collège)", 25),
    ]


def test_summary_counts_a_school_once_by_uai_or_by_name():
    """A school is one school whether known by its UAI or by its name, however written."""
    done = {"status": RequestStatus.DONE, "pupils_reached": 20}
    InterventionRequestFactory(**done, school_uai="0210056X", school_name="Lycée A")
    InterventionRequestFactory(**done, school_uai="0210056X", school_name="Lycee A.")
    InterventionRequestFactory(**done, school_name="Collège Buffon")
    InterventionRequestFactory(**done, school_name="COLLEGE BUFFON")
    assert outreach_summary(InterventionRequest.objects.all())["schools"] == 2
