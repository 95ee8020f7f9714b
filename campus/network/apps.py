from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "campus.network"
    verbose_name = "Réseau"

    def ready(self):
        from campus.network import contributions  # noqa: F401
