"""Personal data of a user: exportable and erasable (RGPD articles 15, 17 and 20)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campus.accounts.models import User
from campus.network.models import Proposal, ProposalStatus
from campus.network.services import organisations_left_without_editor


class AccountDeletionRefused(Exception):
    pass


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
    }


def delete_account(user: User) -> None:
    """Erases the account, unless it would leave an organisation without an editor."""
    with transaction.atomic():
        orphans = organisations_left_without_editor(user)
        if orphans:
            raise AccountDeletionRefused(
                "Vous êtes le seul éditeur de : "
                + ", ".join(org.name for org in orphans)
                + ". Nommez un autre éditeur avant de supprimer votre compte."
            )
        user.delete()


def purge_personal_data(*, now=None) -> dict[str, int]:
    """Erases personal data that has served its purpose.

    - authors of proposals decided more than CAMPUS_PROPOSAL_RETENTION_DAYS ago;
    - failed login attempts older than a day (the lock lasts 15 minutes).
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
    return {"proposals": proposals, "login_attempts": attempts}
