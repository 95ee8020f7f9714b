from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "campus.observatory"
    verbose_name = "Observatoire"
