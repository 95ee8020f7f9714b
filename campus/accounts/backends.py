"""The campus team's rights in the detailed administration (`/gestion/admin/`).

The team is defined once, in code: the active staff (`User.is_campus_team`), the
same people `campus_team_required` lets into the back-office. A rule rather than
a « Équipe du campus » group keeps that single definition: ticking « équipe du
campus » is enough, with no second step to forget, and a model added later is
administrable without a data migration adding its permissions to a group.

The team holds every permission on Campus's own models, except two it only
reads: accounts, which it looks up to add a member to an organisation, since
only a superuser grants rights (no team member can make themself superuser);
and the history of changes, which no one rewrites.
"""

from functools import cache

from django.apps import apps
from django.contrib.auth.backends import BaseBackend
from simple_history.models import HistoricalChanges

READ_ONLY_MODELS = {"accounts.user"}


def _read_only(model) -> bool:
    return model._meta.label_lower in READ_ONLY_MODELS or issubclass(
        model, HistoricalChanges
    )


@cache
def campus_team_permissions() -> frozenset[str]:
    permissions = set()
    for model in apps.get_models():
        if not model.__module__.startswith("campus."):
            continue
        opts = model._meta
        if _read_only(model):
            permissions.add(f"{opts.app_label}.view_{opts.model_name}")
            continue
        permissions.update(
            f"{opts.app_label}.{action}_{opts.model_name}"
            for action in opts.default_permissions
        )
        permissions.update(f"{opts.app_label}.{code}" for code, _ in opts.permissions)
    return frozenset(permissions)


class CampusTeamBackend(BaseBackend):
    """Grants the campus team its permissions; it authenticates no one."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not getattr(user_obj, "is_campus_team", False):
            return set()
        return set(campus_team_permissions())

    def has_module_perms(self, user_obj, app_label):
        return any(
            permission.startswith(f"{app_label}.")
            for permission in self.get_all_permissions(user_obj)
        )
