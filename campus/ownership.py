"""Who may see and change what an organisation owns: one rule for every app.

An organisation owns its offerings, showcase items, discovery placements (and
itself, for the directory). For every such model:

- anyone, and an inactive account: the published rows;
- a member of the owner: also its unpublished rows; an editor changes them,
  a viewer only reads;
- the campus team: every row.

Another organisation's private rows are simply not in the scoped QuerySet, so
views fetching through it answer 404 and their existence does not leak.

Modelled on Wagtail's `OwnershipPermissionPolicy`: one policy object, with the
owner field as its parameter, gives both the row filter (`editable_by`, like
Wagtail's `instances_user_has_permission_for`) and the instance predicate
(`can_edit`, like `user_has_permission_for_instance`), so the two cannot drift
apart. Each app declares its policies in its `permissions.py`; its QuerySets
mix in `OwnedQuerySet` and keep their own `published()`.
"""

from django.db import models

# Cached on the user object, which Django builds once per request.
_EDITABLE_IDS_CACHE = "_campus_editable_organisation_ids"


def is_active_account(user) -> bool:
    """A logged-in account that has not been deactivated (anonymous visitors are not)."""
    return user.is_authenticated and user.is_active


def organisation_ids_of(user, *, editors_only: bool = False):
    """Subquery of the ids of the user's organisations (those they edit, with editors_only)."""
    # Imported here: network's models declare their own policy through this module.
    from campus.network.models import MemberRole, Membership

    memberships = Membership.objects.filter(user=user).order_by()
    if editors_only:
        memberships = memberships.filter(role=MemberRole.EDITOR)
    return memberships.values("organisation_id")


def editable_organisation_ids(user) -> frozenset[int]:
    """Ids of the organisations an active user edits, read once per user object."""
    if not is_active_account(user):
        return frozenset()
    ids = getattr(user, _EDITABLE_IDS_CACHE, None)
    if ids is None:
        ids = frozenset(
            organisation_ids_of(user, editors_only=True).values_list(
                "organisation_id", flat=True
            )
        )
        setattr(user, _EDITABLE_IDS_CACHE, ids)
    return ids


class OwnershipPolicy:
    """Who may see and change the rows of one model, owned through `owner_field`.

    `owner_field` names the foreign key to the owning organisation, or "pk" for
    the organisation itself.
    """

    def __init__(self, owner_field: str = "organisation"):
        self.owner_field = owner_field

    def _owned_by(self, queryset, organisation_ids):
        return queryset.filter(**{f"{self.owner_field}__in": organisation_ids})

    def of_members(self, queryset, user):
        """Rows of the user's organisations (any role); every row for the team."""
        if not is_active_account(user):
            return queryset.none()
        if user.is_campus_team:
            return queryset.all()
        return self._owned_by(queryset, organisation_ids_of(user))

    def visible_to(self, queryset, user):
        """Published rows, plus the rows of the user's organisations."""
        if not is_active_account(user):
            return queryset.published()
        if user.is_campus_team:
            return queryset.all()
        return queryset.published() | self.of_members(queryset, user)

    def editable_by(self, queryset, user):
        """Rows of the organisations the user edits; every row for the team."""
        if not is_active_account(user):
            return queryset.none()
        if user.is_campus_team:
            return queryset.all()
        return self._owned_by(queryset, organisation_ids_of(user, editors_only=True))

    def owner_id(self, obj) -> int | None:
        if self.owner_field == "pk":
            return obj.pk
        return getattr(obj, obj._meta.get_field(self.owner_field).attname)

    def can_edit(self, user, obj) -> bool:
        """Whether `obj` is in `editable_by(user)`, without a query per object."""
        if not is_active_account(user):
            return False
        if user.is_campus_team:
            return True
        return self.owner_id(obj) in editable_organisation_ids(user)


class OwnedQuerySet(models.QuerySet):
    """Row filters of an organisation-owned model; subclasses set `policy`
    and define `published()`."""

    policy: OwnershipPolicy

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self.policy.visible_to(self, user)

    def editable_by(self, user):
        return self.policy.editable_by(self, user)
