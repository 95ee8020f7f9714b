from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "campus.agenda"
    verbose_name = "Agenda"

    def ready(self):
        from campus.agenda import contributions, signals  # noqa: F401
