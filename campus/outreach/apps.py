from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "campus.outreach"
    verbose_name = "Découverte des métiers"

    def ready(self):
        from campus.outreach import contributions  # noqa: F401
