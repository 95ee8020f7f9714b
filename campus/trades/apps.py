from django.apps import AppConfig


class TradesConfig(AppConfig):
    name = "campus.trades"
    verbose_name = "Métiers et savoir-faire"

    def ready(self):
        from campus.trades import contributions  # noqa: F401
