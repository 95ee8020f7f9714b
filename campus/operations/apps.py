from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Campus past one machine: health, metrics, backups, scheduled jobs."""

    name = "campus.operations"
    verbose_name = "Exploitation"
