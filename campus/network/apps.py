from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "campus.network"
    verbose_name = "Réseau"
