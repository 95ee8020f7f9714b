from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "campus.opendata"
    verbose_name = "Données ouvertes"
