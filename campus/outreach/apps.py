from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "campus.outreach"
    verbose_name = "Découverte des métiers"
