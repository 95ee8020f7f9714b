from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "campus.news"
    verbose_name = "Actualités"

    def ready(self):
        from campus.news import contributions  # noqa: F401
