"""Who may see and change what in the network.

- Anyone: published organisations and their public contacts.
- A partner member: also their own organisations, published or not; an editor
  changes them and manages their members, a viewer only reads.
- The campus team: everything, including partnership fields and moderation.
Another organisation's private pages answer 404, never 403, so their existence
does not leak.
"""

from campus.network.models import MemberRole, Membership, Organisation


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return organisation.memberships.filter(user=user).first()


def can_edit_organisation(user, organisation: Organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_campus_team:
        return True
    membership = membership_of(user, organisation)
    return membership is not None and membership.role == MemberRole.EDITOR


def can_manage_members(user, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)
