from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "campus.platforms"
    verbose_name = "Plateformes technologiques"

    def ready(self):
        from campus.platforms import contributions  # noqa: F401
