from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "campus.surveys"
    verbose_name = "Enquêtes sur les besoins"

    def ready(self):
        from campus.surveys import contributions  # noqa: F401
