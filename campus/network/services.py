"""Workflows of the network: memberships, invitations and moderated proposals."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from campus.accounts.models import User
from campus.mail import send_templated_email
from campus.network.models import (
    PROPOSED_ACTOR_FIELDS,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from campus.places.models import street_address
from campus.rules import RuleError


class NetworkRuleError(RuleError):
    """A change that would break a rule of the network; its message is for the user."""


def lock_organisations(organisations) -> None:
    """Serialises membership changes of these organisations until the transaction ends.

    Two editors removing or demoting each other at the same moment would each
    count the other as the remaining editor; on PostgreSQL both changes would then
    commit and leave no editor. Locking the organisation rows, in a fixed order to
    avoid deadlocks, before counting makes the second change wait for the first
    and count again. SQLite serialises writers on its own and ignores the lock.
    """
    pks = [getattr(organisation, "pk", organisation) for organisation in organisations]
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=pks)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def organisations_left_without_editor(user: User) -> list[Organisation]:
    """Organisations where `user` is an editor and no other active editor remains."""
    return list(
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=user, role=MemberRole.EDITOR).values(
                "organisation"
            )
        )
        .annotate(
            other_editors=Count(
                "memberships",
                filter=Q(
                    memberships__role=MemberRole.EDITOR,
                    memberships__user__is_active=True,
                )
                & ~Q(memberships__user=user),
            )
        )
        .filter(other_editors=0)
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


def _lock_membership(membership: Membership) -> Membership:
    lock_organisations([membership.organisation_id])
    return Membership.objects.select_for_update().get(pk=membership.pk)


def revoke_invitations_sent_by(user: User, *, organisation=None) -> int:
    """Deletes the pending invitations `user` sent, who may no longer invite."""
    invitations = Invitation.objects.pending().filter(invited_by=user)
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    deleted, _ = invitations.delete()
    return deleted


def change_member_role(
    membership: Membership, *, role: str, acting_user: User
) -> Membership:
    with transaction.atomic():
        membership = _lock_membership(membership)
        if role != MemberRole.EDITOR:
            _ensure_other_editor(membership)
            revoke_invitations_sent_by(
                membership.user, organisation=membership.organisation
            )
        membership.role = role
        membership._history_user = acting_user
        membership.save(update_fields=["role"])
    return membership


def remove_member(membership: Membership, *, acting_user: User) -> None:
    with transaction.atomic():
        membership = _lock_membership(membership)
        _ensure_other_editor(membership)
        revoke_invitations_sent_by(
            membership.user, organisation=membership.organisation
        )
        membership._history_user = acting_user
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
        send_templated_email(
            "network/email/invitation", {"invitation": invitation}, [email]
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
        _record_resemblance(proposal)
        send_templated_email(
            "network/email/proposal_submitted",
            {"proposal": proposal},
            User.objects.campus_team().values_list("email", flat=True),
        )
    return proposal


CORRECTABLE_FIELDS = ["name", "address", "website", "description"]


def _record_resemblance(proposal: Proposal) -> None:
    """Keeps, for the team, the organisations a new actor may duplicate."""
    if proposal.kind != ProposalKind.NEW_ACTOR:
        return
    proposal.resembles.set(
        Organisation.objects.resembling(name=proposal.name, siret=proposal.siret)
    )


def correct_proposal(
    proposal: Proposal, *, changes: dict, acting_user: User
) -> Proposal:
    """The team corrects a pending proposal before deciding; the history keeps who
    changed which fields, and what the visitor had written."""
    unknown = set(changes) - set(PROPOSED_ACTOR_FIELDS)
    if unknown:
        raise ValueError(f"Not editable by the team: {sorted(unknown)}")
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        changes = {
            field: value
            for field, value in changes.items()
            if getattr(proposal, field) != value
        }
        if not changes:
            return proposal
        for field, value in changes.items():
            setattr(proposal, field, value)
        labels = [
            str(Proposal._meta.get_field(field).verbose_name) for field in changes
        ]
        proposal._history_user = acting_user
        proposal._change_reason = f"Corrigée par l'équipe : {', '.join(labels)}"
        proposal.save()
        _record_resemblance(proposal)
    return proposal


def accept_proposal(proposal: Proposal, *, acting_user: User) -> Organisation:
    """Creates the proposed actor, or applies the proposed correction, then notifies."""
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        if proposal.kind == ProposalKind.NEW_ACTOR:
            organisation = Organisation(
                name=proposal.name,
                kind=proposal.organisation_kind,
                commune=proposal.commune,
                postal_code=proposal.commune.main_postal_code
                if proposal.commune
                else "",
                siret=proposal.siret,
                address=street_address(proposal.address, proposal.commune),
                website=proposal.website,
                description=proposal.description,
                is_published=True,
            )
        else:
            organisation = proposal.organisation
            for field in CORRECTABLE_FIELDS:
                value = getattr(proposal, field)
                if value:
                    setattr(organisation, field, value)
            if proposal.commune_id:
                organisation.commune = proposal.commune
                organisation.latitude = organisation.longitude = None
            if proposal.address:
                organisation.address = street_address(
                    organisation.address, organisation.commune
                )
        organisation._history_user = acting_user
        organisation.save()
        proposal.organisation = organisation
        _record_decision(proposal, ProposalStatus.ACCEPTED, acting_user)
        send_templated_email(
            "network/email/proposal_accepted",
            {"proposal": proposal},
            [proposal.submitter_email],
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
        send_templated_email(
            "network/email/proposal_refused",
            {"proposal": proposal},
            [proposal.submitter_email],
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
    proposal._history_user = acting_user
    proposal.save()
