"""Who may see and change what in the network.

- Anyone: published organisations and their public contacts.
- A partner member: also their own organisations, published or not; an editor
  changes them and manages their members, a viewer only reads.
- The campus team: everything, including partnership fields and moderation.
Another organisation's private pages answer 404, never 403, so their existence
does not leak. The rule is the campus's ownership rule: an organisation owns itself.
"""

from campus.ownership import OwnershipPolicy

organisation_policy = OwnershipPolicy(owner_field="pk")

can_edit_organisation = organisation_policy.can_edit
can_manage_members = organisation_policy.can_edit
