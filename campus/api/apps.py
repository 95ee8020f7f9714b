from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "campus.api"
    verbose_name = "Données ouvertes : API et téléchargements"
