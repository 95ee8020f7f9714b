"""Sending a survey, its reminder and its erasure: who gets which e-mail, once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from campus.accounts.services import purge_personal_data
from campus.accounts.tests.factories import UserFactory
from campus.needs.models import Need, NeedStatus
from campus.needs.tests.factories import NeedFactory
from campus.network.models import MemberRole, OrganisationKind
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.operations.schedule import JOBS_BY_NAME
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.rules import RuleError
from campus.surveys import services
from campus.surveys.models import SurveyAnswer, SurveyInvitation
from campus.surveys.tests.factories import (
    SurveyCampaignFactory,
    SurveyInvitationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Two companies with the same editor, one with a contact e-mail only, one
    unreachable, one school."""
    shared = UserFactory(email="gerante@cuir.fr")
    first = OrganisationFactory(name="Atelier A")
    second = OrganisationFactory(name="Atelier B")
    for organisation in (first, second):
        MembershipFactory(organisation=organisation, user=shared)
    MembershipFactory(
        organisation=first, user__email="lectrice@cuir.fr", role=MemberRole.VIEWER
    )
    contact = OrganisationFactory(name="Atelier C", email="contact@atelier-c.fr")
    OrganisationFactory(name="Atelier sans adresse")
    OrganisationFactory(name="Lycée", school=True, email="ce@lycee.fr")
    return first, second, contact


def test_targets_are_reachable_organisations_of_the_kind_and_departement(network):
    campaign = SurveyCampaignFactory()
    assert [o.name for o in campaign.targets()] == [
        "Atelier A",
        "Atelier B",
        "Atelier C",
    ]
    doubs = DepartementFactory(code="25", name="Doubs")
    besancon = CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    OrganisationFactory(name="Atelier D", email="d@cuir.fr", commune=besancon)
    campaign.departement_code = "25"
    assert [o.name for o in campaign.targets()] == ["Atelier D"]
    campaign.departement_code = ""
    campaign.organisation_kind = OrganisationKind.SECONDARY_SCHOOL
    assert [o.name for o in campaign.targets()] == ["Lycée"]


def test_one_email_per_address_with_a_link_per_organisation(
    network, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    """The editor of two companies gets one e-mail with two links; a company
    without editor is written at its contact address; viewers get nothing."""
    campaign = SurveyCampaignFactory(title="Besoins 2027")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_campaign(campaign, acting_user=None) == (3, 2)
    run_tasks()
    assert sorted(m.recipients[0] for m in smtp_server.messages) == [
        "contact@atelier-c.fr",
        "gerante@cuir.fr",
    ]
    (message,) = smtp_server.to("gerante@cuir.fr")
    assert message.subject == "Enquête du campus : Besoins 2027"
    for invitation in campaign.invitations.filter(
        organisation__name__in=["Atelier A", "Atelier B"]
    ):
        assert services.invitation_url(invitation) in message.text
    assert "Atelier C" not in message.text


def test_a_campaign_is_sent_once_and_never_after_its_closing_day(network):
    campaign = SurveyCampaignFactory()
    services.send_campaign(campaign, acting_user=None)
    with pytest.raises(RuleError, match="déjà été envoyée"):
        services.send_campaign(campaign, acting_user=None)
    assert SurveyInvitation.objects.count() == 3
    late = SurveyCampaignFactory(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(RuleError, match="date de clôture est passée"):
        services.send_campaign(late, acting_user=None)
    assert not late.invitations.exists()


def test_tokens_name_one_invitation_of_one_campaign():
    invitation = SurveyInvitationFactory()
    other = SurveyInvitationFactory()
    token = services.invitation_token(invitation)
    assert services.invitation_for_token(token) == invitation
    value, signature = token.split(":")
    for payload in (
        f"{other.campaign_id}-{invitation.pk}",
        f"{invitation.campaign_id}-{other.pk}",
        f"{other.campaign_id}-{other.pk}",
    ):
        assert services.invitation_for_token(f"{payload}:{signature}") is None
    assert services.invitation_for_token("1-1:abc") is None
    assert services.invitation_for_token("n'importe quoi") is None


def test_reminder_once_after_n_days_to_those_who_have_not_answered(
    network, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    campaign = SurveyCampaignFactory(reminder_days=10, title="Besoins 2027")
    sent_at = timezone.now()
    services.send_campaign(campaign, acting_user=None, now=sent_at)
    campaign.refresh_from_db()
    answered = campaign.invitations.get(organisation__name="Atelier C")
    services.declare_no_need(answered, now=sent_at + timedelta(days=1))
    assert services.send_survey_reminders(now=sent_at + timedelta(days=9)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_survey_reminders(now=sent_at + timedelta(days=10)) == 1
    run_tasks()
    assert [m.recipients for m in smtp_server.messages] == [["gerante@cuir.fr"]]
    assert smtp_server.messages[0].subject == "Rappel : Besoins 2027"
    assert services.send_survey_reminders(now=sent_at + timedelta(days=11)) == 0


def test_no_reminder_after_the_closing_day():
    invitation = SurveyInvitationFactory(
        organisation__email="a@cuir.fr",
        campaign__closes_on=timezone.localdate() + timedelta(days=5),
        campaign__reminder_days=10,
    )
    later = timezone.now() + timedelta(days=12)
    assert services.send_survey_reminders(now=later) == 0
    invitation.refresh_from_db()
    assert invitation.reminded_at is None


def test_reminder_command_is_a_scheduled_job(network):
    assert JOBS_BY_NAME["send_survey_reminders"].command == "send_survey_reminders"
    campaign = SurveyCampaignFactory()
    services.send_campaign(
        campaign, acting_user=None, now=timezone.now() - timedelta(days=11)
    )
    output = StringIO()
    call_command("send_survey_reminders", stdout=output)
    assert output.getvalue() == "2 relance(s) envoyée(s).\n"


def test_a_declared_need_is_the_organisations_open_need():
    invitation = SurveyInvitationFactory()
    need = NeedFactory.build(organisation=None, commune=CommuneFactory())
    services.declare_need(invitation, need)
    need = Need.objects.get()
    assert need.organisation == invitation.organisation
    assert need.status == NeedStatus.OPEN and need.created_by is None
    assert SurveyAnswer.objects.get().need == need
    invitation.refresh_from_db()
    assert invitation.answered_at and not invitation.no_need
    services.declare_no_need(invitation)
    invitation.refresh_from_db()
    assert not invitation.no_need


def test_counts_and_rate():
    campaign = SurveyCampaignFactory(sent=True)
    first, second, _third, _fourth = SurveyInvitationFactory.create_batch(
        4, campaign=campaign
    )
    services.mark_opened(first)
    services.mark_opened(second)
    services.declare_need(
        first, NeedFactory.build(organisation=None, commune=CommuneFactory())
    )
    services.declare_need(
        first, NeedFactory.build(organisation=None, commune=CommuneFactory())
    )
    services.declare_no_need(second)
    assert services.campaign_counts(campaign) == {
        "sent": 4,
        "opened": 2,
        "answered": 2,
        "no_need": 1,
        "needs": 2,
        "rate": 50,
    }


def test_purge_erases_invitations_months_after_closing_and_keeps_needs(settings):
    settings.CAMPUS_SURVEY_RETENTION_DAYS = 183
    old = SurveyInvitationFactory(
        campaign__closes_on=timezone.localdate() - timedelta(days=184)
    )
    services.declare_need(
        old,
        NeedFactory.build(organisation=None, commune=CommuneFactory()),
        now=old.campaign.closes_at - timedelta(days=1),
    )
    recent = SurveyInvitationFactory(
        campaign__closes_on=timezone.localdate() - timedelta(days=100)
    )
    assert purge_personal_data()["survey_invitations"] == 1
    assert list(SurveyInvitation.objects.all()) == [recent]
    assert not SurveyAnswer.objects.exists()
    assert Need.objects.filter(organisation=old.organisation).exists()
