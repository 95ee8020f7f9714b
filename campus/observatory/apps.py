from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The migrations that added a stored aggregate: the key figures' computed value,
# the certification lists (and the communes' sector totals that came with them).
AGGREGATE_MIGRATIONS = {
    ("observatory", "0006_key_figure_computed"),
    ("observatory", "0007_offered_certification"),
}


def _refresh_after_upgrade(plan=None, **kwargs):
    """An upgrade that adds an aggregate fills it at once, so that no page shows an
    empty list or a missing figure until the night's refresh. Run once every
    migration of the upgrade is applied: the refresh reads the indicators, the
    catalogue and the profiles through today's models, which a data migration
    could not. A new database has nothing to aggregate and is left alone."""
    from campus.observatory.aggregates import refresh_observatory
    from campus.observatory.models import Indicator, KeyFigure
    from campus.trainings.models import Offering

    upgraded = any(
        (migration.app_label, migration.name) in AGGREGATE_MIGRATIONS and not backwards
        for migration, backwards in plan or []
    )
    if upgraded and (
        Indicator.objects.exists()
        or Offering.objects.exists()
        or KeyFigure.objects.exclude(indicator_key="").exists()
    ):
        refresh_observatory()


class ObservatoryConfig(AppConfig):
    name = "campus.observatory"
    verbose_name = "Observatoire"

    def ready(self):
        from campus.observatory import contributions, signals, themes  # noqa: F401

        post_migrate.connect(_refresh_after_upgrade, sender=self)
