from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The migration that gave key figures their stored computed value.
COMPUTED_VALUE_MIGRATION = ("observatory", "0006_key_figure_computed")


def _store_key_figures_after_upgrade(plan=None, **kwargs):
    """The figures made before their computed value was stored show it from the
    upgrade on, not after the next night's refresh. Run once every migration of
    the upgrade is applied: computing reads the indicators, the imports and the
    profiles through today's models, which a data migration could not."""
    from campus.observatory.key_figures import refresh_key_figures

    if any(
        (migration.app_label, migration.name) == COMPUTED_VALUE_MIGRATION
        and not backwards
        for migration, backwards in plan or []
    ):
        refresh_key_figures()


class ObservatoryConfig(AppConfig):
    name = "campus.observatory"
    verbose_name = "Observatoire"

    def ready(self):
        from campus.observatory import contributions, signals, themes  # noqa: F401

        post_migrate.connect(_store_key_figures_after_upgrade, sender=self)
