from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _restore_fulltext_index(using, **kwargs):
    from campus.trainings.fulltext import ensure_index

    ensure_index(connections[using])


class TrainingsConfig(AppConfig):
    name = "campus.trainings"
    verbose_name = "Formations"

    def ready(self):
        from campus.trainings import contributions, signals  # noqa: F401

        # A migration that rebuilds the offering table on SQLite drops its triggers.
        post_migrate.connect(_restore_fulltext_index, sender=self)
