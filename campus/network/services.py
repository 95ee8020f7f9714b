"""Workflows of the network: memberships, invitations and moderated proposals."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from campus.accounts.models import User
from campus.mail import send_campus_email
from campus.network.models import (
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    Proposal,
    ProposalKind,
    ProposalStatus,
)


class NetworkRuleError(Exception):
    """A change that would break a rule of the network; its message is for the user."""


def organisations_left_without_editor(user: User) -> list[Organisation]:
    """Organisations where `user` is the only active editor."""
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=MemberRole.EDITOR
        )
        .annotate(
            editor_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=MemberRole.EDITOR,
                    memberships__user__is_active=True,
                ),
            )
        )
        .filter(editor_count__lte=1)
        .order_by("name")
    )


def _ensure_other_editor(membership: Membership) -> None:
    if membership.role != MemberRole.EDITOR:
        return
    others = membership.organisation.editors().exclude(pk=membership.pk)
    if not others.exists():
        raise NetworkRuleError(
            f"{membership.organisation} doit garder au moins un éditeur : "
            "nommez d'abord un autre éditeur."
        )


def change_member_role(
    membership: Membership, *, role: str, acting_user: User
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role != MemberRole.EDITOR:
            _ensure_other_editor(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(membership: Membership, *, acting_user: User) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _ensure_other_editor(membership)
        membership.delete()


def invite_member(
    organisation: Organisation, *, email: str, role: str, acting_user: User
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email
    ).exists():
        raise NetworkRuleError(f"{email} est déjà membre de {organisation}.")
    with transaction.atomic():
        organisation.invitations.pending().filter(email__iexact=email).delete()
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=acting_user
        )
        link = settings.CAMPUS_SITE_URL + reverse(
            "network:accept_invitation", kwargs={"token": invitation.token}
        )
        transaction.on_commit(
            lambda: send_campus_email.enqueue(
                subject=f"Invitation à rejoindre {organisation} sur le site du campus",
                body=(
                    f"Bonjour,\n\n{acting_user} vous invite à gérer la fiche de "
                    f"« {organisation} » en tant que {invitation.get_role_display().lower()}.\n\n"
                    f"Pour accepter, ouvrez ce lien (valable 14 jours) :\n{link}\n"
                ),
                recipients=[email],
            )
        )
    return invitation


def accept_invitation(invitation: Invitation, *, user: User) -> Membership:
    if not invitation.is_usable:
        raise NetworkRuleError("Cette invitation a expiré ou a déjà été utilisée.")
    if user.email.lower() != invitation.email.lower():
        raise NetworkRuleError(
            "Cette invitation a été envoyée à une autre adresse e-mail que celle de votre compte."
        )
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            defaults={"role": invitation.role},
        )
        if not created and invitation.role == MemberRole.EDITOR:
            membership.role = MemberRole.EDITOR
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def submit_proposal(proposal: Proposal) -> Proposal:
    with transaction.atomic():
        proposal.status = ProposalStatus.PENDING
        proposal.save()
        team_emails = list(
            User.objects.filter(is_staff=True, is_active=True).values_list(
                "email", flat=True
            )
        )
        if team_emails:
            transaction.on_commit(
                lambda: send_campus_email.enqueue(
                    subject=f"Nouvelle proposition à modérer : {proposal}",
                    body=(
                        "Une proposition attend votre décision :\n"
                        + settings.CAMPUS_SITE_URL
                        + reverse("network:proposal_detail", kwargs={"pk": proposal.pk})
                    ),
                    recipients=team_emails,
                )
            )
    return proposal


CORRECTABLE_FIELDS = ["name", "address", "website", "description"]


def accept_proposal(proposal: Proposal, *, acting_user: User) -> Organisation:
    """Creates the proposed actor, or applies the proposed correction, then notifies."""
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        if proposal.kind == ProposalKind.NEW_ACTOR:
            organisation = Organisation.objects.create(
                name=proposal.name,
                kind=proposal.organisation_kind,
                commune=proposal.commune,
                postal_code=proposal.commune.main_postal_code
                if proposal.commune
                else "",
                address=proposal.address,
                website=proposal.website,
                description=proposal.description,
                is_published=True,
            )
            proposal.organisation = organisation
        else:
            organisation = proposal.organisation
            for field in CORRECTABLE_FIELDS:
                value = getattr(proposal, field)
                if value:
                    setattr(organisation, field, value)
            if proposal.commune_id:
                organisation.commune = proposal.commune
                organisation.latitude = organisation.longitude = None
            organisation.save()
        _record_decision(proposal, ProposalStatus.ACCEPTED, acting_user)
        _notify_submitter(
            proposal,
            "Votre proposition a été acceptée",
            f"Merci ! Votre proposition « {proposal} » a été acceptée et publiée :\n"
            + settings.CAMPUS_SITE_URL
            + organisation.get_absolute_url(),
        )
    return organisation


def refuse_proposal(proposal: Proposal, *, reason: str, acting_user: User) -> Proposal:
    reason = reason.strip()
    if not reason:
        raise NetworkRuleError(
            "Indiquez le motif du refus : il sera envoyé à l'auteur."
        )
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        proposal.refusal_reason = reason
        _record_decision(proposal, ProposalStatus.REFUSED, acting_user)
        _notify_submitter(
            proposal,
            "Votre proposition n'a pas été retenue",
            f"Votre proposition « {proposal} » n'a pas été retenue.\n\nMotif : {reason}\n",
        )
    return proposal


def _lock_pending(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise NetworkRuleError("Cette proposition a déjà été traitée.")
    return proposal


def _record_decision(proposal: Proposal, status: str, acting_user: User) -> None:
    proposal.status = status
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.save()


def _notify_submitter(proposal: Proposal, subject: str, body: str) -> None:
    recipient = proposal.submitter_email
    transaction.on_commit(
        lambda: send_campus_email.enqueue(
            subject=subject,
            body=f"Bonjour {proposal.submitter_name},\n\n{body}",
            recipients=[recipient],
        )
    )
