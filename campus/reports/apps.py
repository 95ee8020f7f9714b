from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "campus.reports"
    verbose_name = "Rapport d'activité"

    def ready(self):
        from campus.reports import contributions  # noqa: F401
