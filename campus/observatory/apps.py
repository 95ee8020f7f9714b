from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "campus.observatory"
    verbose_name = "Observatoire"

    def ready(self):
        from campus.observatory import contributions, signals, themes  # noqa: F401
