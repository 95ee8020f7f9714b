from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "campus.needs"
    verbose_name = "Besoins des entreprises"

    def ready(self):
        from campus.needs import contributions  # noqa: F401
