"""Who may see and change a need: the members of the organisation that declared it,
and the campus team. Needs are never public: another partner never sees one, and
what a partner may read of others is counts only (campus/needs/gaps.py)."""

from campus.ownership import OwnershipPolicy

need_policy = OwnershipPolicy(owner_field="organisation")

can_edit_need = need_policy.can_edit
