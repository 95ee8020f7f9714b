from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "campus.trainings"
    verbose_name = "Formations"

    def ready(self):
        from campus.trainings import signals  # noqa: F401
