"""Sending a needs survey, reading its links, turning answers into needs.

No e-mail address is stored: each sending reads the organisation's addresses (its
active editors, else its public contact e-mail) and groups the invitations by
address, so one address gets one e-mail per campaign, with one link per
organisation it speaks for.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from campus.mail import send_templated_email
from campus.needs.models import Need
from campus.needs.services import save_need
from campus.network.models import MemberRole, Membership
from campus.rules import RuleError
from campus.surveys.models import SurveyAnswer, SurveyCampaign, SurveyInvitation


class CampaignClosed(RuleError):
    status_code = 410
    title = "Enquête close"


# The link names the campaign and the invitation, signed together: a link cut,
# retyped or moved to another invitation or campaign fails the signature.
SIGNER = signing.Signer(salt="campus.surveys.invitation")


def invitation_token(invitation: SurveyInvitation) -> str:
    return SIGNER.sign(f"{invitation.campaign_id}-{invitation.pk}")


def invitation_url(invitation: SurveyInvitation) -> str:
    return reverse("surveys:answer", args=[invitation_token(invitation)])


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The invitation a link names; None for a forged, cut or erased link."""
    try:
        campaign_id, pk = (int(part) for part in SIGNER.unsign(token).split("-"))
    except (signing.BadSignature, ValueError):
        return None
    return (
        SurveyInvitation.objects.select_related("campaign", "organisation")
        .filter(pk=pk, campaign_id=campaign_id, campaign__sent_at__isnull=False)
        .first()
    )


def addresses_of(invitations) -> dict[str, list[SurveyInvitation]]:
    """Each address to write to, with the invitations it receives."""
    invitations = list(invitations)
    editors = defaultdict(list)
    for organisation_id, email in (
        Membership.objects.filter(
            organisation__in=[i.organisation_id for i in invitations],
            role=MemberRole.EDITOR,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("organisation_id", "user__email")
    ):
        editors[organisation_id].append(email)
    by_address: dict[str, list[SurveyInvitation]] = {}
    for invitation in invitations:
        emails = editors[invitation.organisation_id] or [invitation.organisation.email]
        for email in {e.strip().lower() for e in emails if e.strip()}:
            by_address.setdefault(email, []).append(invitation)
    return by_address


def _send(template: str, campaign: SurveyCampaign, invitations) -> int:
    by_address = addresses_of(invitations)
    for address, received in sorted(by_address.items()):
        send_templated_email(
            template,
            {
                "campaign": campaign,
                "links": [
                    (invitation.organisation, invitation_url(invitation))
                    for invitation in received
                ],
            },
            [address],
        )
    return len(by_address)


def send_campaign(
    campaign: SurveyCampaign, *, acting_user, now: datetime | None = None
) -> tuple[int, int]:
    """Invites the campaign's organisations and queues one e-mail per address;
    returns (organisations, e-mails). A campaign is sent once."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.sent_at is not None:
            raise RuleError("Cette enquête a déjà été envoyée.")
        if campaign.closes_on < timezone.localdate(now):
            raise RuleError(
                "La date de clôture est passée : changez-la avant d'envoyer."
            )
        organisations = list(campaign.targets())
        if not organisations:
            raise RuleError(
                "Aucune organisation à qui écrire : aucune de ce type et de ce "
                "département n'a d'éditeur ni d'e-mail de contact."
            )
        campaign.sent_at = now
        campaign.save(update_fields=["sent_at"])
        invitations = SurveyInvitation.objects.bulk_create(
            SurveyInvitation(campaign=campaign, organisation=o, sent_at=now)
            for o in organisations
        )
        for invitation, organisation in zip(invitations, organisations, strict=True):
            invitation.organisation = organisation
        emails = _send("surveys/email/invitation", campaign, invitations)
    return len(invitations), emails


def send_survey_reminders(*, now: datetime | None = None) -> int:
    """E-mails once the organisations that have not answered `reminder_days`
    after sending, while the campaign is open; returns the e-mails queued.

    Each invitation is claimed by a conditional update before its e-mail is
    queued, so two runs at once remind nobody twice.
    """
    now = now or timezone.now()
    due = [
        invitation
        for invitation in SurveyInvitation.objects.awaiting_reminder(now)
        .select_related("campaign", "organisation")
        .order_by("campaign_id", "pk")
        if invitation.is_due_for_reminder(now)
    ]
    by_campaign: dict[int, list[SurveyInvitation]] = defaultdict(list)
    for invitation in due:
        by_campaign[invitation.campaign_id].append(invitation)
    sent = 0
    for invitations in by_campaign.values():
        with transaction.atomic():
            claimed = [
                invitation
                for invitation in invitations
                if SurveyInvitation.objects.filter(
                    pk=invitation.pk, reminded_at__isnull=True, answered_at__isnull=True
                ).update(reminded_at=now)
            ]
            if claimed:
                sent += _send("surveys/email/reminder", claimed[0].campaign, claimed)
    return sent


def _check_open(invitation: SurveyInvitation, now: datetime) -> None:
    if not invitation.campaign.is_open(now):
        raise CampaignClosed(
            "Cette enquête est close : les réponses ne sont plus reçues."
        )


def mark_opened(invitation: SurveyInvitation, *, now: datetime | None = None) -> None:
    """Records the first visit of the link, for the team's opening count."""
    SurveyInvitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=now or timezone.now()
    )


def declare_need(
    invitation: SurveyInvitation,
    need: Need,
    *,
    skill_blocks=None,
    now: datetime | None = None,
) -> Need:
    """A need declared through the link becomes the organisation's open need."""
    now = now or timezone.now()
    _check_open(invitation, now)
    with transaction.atomic():
        need.organisation = invitation.organisation
        save_need(need, acting_user=None, skill_blocks=skill_blocks)
        SurveyAnswer.objects.create(invitation=invitation, need=need)
        SurveyInvitation.objects.filter(pk=invitation.pk).update(
            answered_at=now, no_need=False
        )
    return need


def declare_no_need(invitation: SurveyInvitation, *, now: datetime | None = None):
    """« Aucun besoin pour le moment »: answered, unless needs were already sent."""
    now = now or timezone.now()
    _check_open(invitation, now)
    SurveyInvitation.objects.filter(pk=invitation.pk, answers__isnull=True).update(
        answered_at=now, no_need=True
    )


def campaign_counts(campaign: SurveyCampaign) -> dict:
    counts = campaign.invitations.aggregate(
        sent=Count("pk", distinct=True),
        opened=Count("pk", distinct=True, filter=Q(opened_at__isnull=False)),
        answered=Count("pk", distinct=True, filter=Q(answered_at__isnull=False)),
        no_need=Count("pk", distinct=True, filter=Q(no_need=True)),
        needs=Count("answers"),
    )
    counts["rate"] = (
        round(100 * counts["answered"] / counts["sent"]) if counts["sent"] else None
    )
    return counts


def purge_closed_surveys(*, now: datetime | None = None) -> int:
    """Erases the invitations (which organisation opened or answered when, and the
    links with them) of campaigns closed CAMPUS_SURVEY_RETENTION_DAYS ago. The
    needs declared stay: they are the organisations' own."""
    now = now or timezone.now()
    closed_before = timezone.localdate(now) - timedelta(
        days=settings.CAMPUS_SURVEY_RETENTION_DAYS
    )
    deleted, by_model = SurveyInvitation.objects.filter(
        campaign__closes_on__lt=closed_before
    ).delete()
    return by_model.get(SurveyInvitation._meta.label, 0)
