"""Personal data of a user: exportable and erasable (RGPD articles 15, 17 and 20)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campus.accounts.models import User
from campus.agenda.registration import erase_past_registrations
from campus.network.models import Proposal, ProposalStatus
from campus.network.services import (
    lock_organisations,
    organisations_left_without_editor,
    revoke_invitations_sent_by,
)
from campus.newsletter.models import Subscriber
from campus.newsletter.services import export_subscriber, purge_subscribers
from campus.rules import RuleError


class AccountDeletionRefused(RuleError):
    """Deleting the account would leave an organisation without an editor."""


def export_personal_data(user: User) -> dict:
    return {
        "compte": {
            "email": user.email,
            "nom_complet": user.full_name,
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat()
            if user.last_login
            else None,
            "equipe_du_campus": user.is_staff,
        },
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "role": membership.get_role_display(),
                "depuis": membership.created_at.isoformat(),
            }
            for membership in user.memberships.select_related("organisation")
        ],
        # The newsletter knows addresses, not accounts: the one of this account.
        "lettre_d_information": [
            export_subscriber(subscriber)
            for subscriber in Subscriber.objects.with_email(user.email).order_by("pk")
        ],
    }


def delete_account(user: User) -> None:
    """Erases the account, unless it would leave an organisation without an editor."""
    with transaction.atomic():
        lock_organisations(user.memberships.values_list("organisation", flat=True))
        orphans = organisations_left_without_editor(user)
        if orphans:
            raise AccountDeletionRefused(
                "Vous êtes le seul éditeur de : "
                + ", ".join(org.name for org in orphans)
                + ". Nommez un autre éditeur avant de supprimer votre compte."
            )
        # The memberships' history records their deletion, possibly naming this
        # user as the one who acted: deleting them first lets the account's own
        # deletion clear those names instead of leaving them dangling.
        revoke_invitations_sent_by(user)
        user.memberships.all().delete()
        Subscriber.objects.with_email(user.email).delete()
        user.delete()


def purge_personal_data(*, now=None) -> dict[str, int]:
    """Erases personal data that has served its purpose.

    - authors of proposals decided more than CAMPUS_PROPOSAL_RETENTION_DAYS ago;
    - failed login attempts older than a day (the lock lasts 15 minutes);
    - event registrants, REGISTRATION_RETENTION_DAYS after the event.
    - newsletter addresses never confirmed once their link expired
      (CAMPUS_NEWSLETTER_CONFIRMATION_DAYS), and unsubscribed ones after
      CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS.
    """
    now = now or timezone.now()
    decided_before = now - timedelta(days=settings.CAMPUS_PROPOSAL_RETENTION_DAYS)
    with transaction.atomic():
        proposals = (
            Proposal.objects.exclude(status=ProposalStatus.PENDING)
            .filter(decided_at__lt=decided_before)
            .exclude(submitter_email="")
            .update(submitter_name="(effacé)", submitter_email="")
        )
        attempts, _ = AccessAttempt.objects.filter(
            attempt_time__lt=now - timedelta(days=1)
        ).delete()
        registrations = erase_past_registrations(now=now)
        newsletter = purge_subscribers(now=now)
    return {
        "proposals": proposals,
        "login_attempts": attempts,
        "registrations": registrations["registrations_erased"]
        + registrations["unconfirmed_deleted"],
        "newsletter_unconfirmed": newsletter["unconfirmed"],
        "newsletter_unsubscribed": newsletter["unsubscribed"],
    }
