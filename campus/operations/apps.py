from django.apps import AppConfig
from django.core.signals import request_finished


class OperationsConfig(AppConfig):
    """Running Campus past one machine: health, metrics, backups, scheduled jobs."""

    name = "campus.operations"
    verbose_name = "Exploitation"

    def ready(self):
        from campus.operations.logs import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="campus-request-id")
