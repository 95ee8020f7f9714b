from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "campus.opendata"
    verbose_name = "Données ouvertes"

    def ready(self):
        from campus.opendata import contributions  # noqa: F401
