from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "campus.talent"
    verbose_name = "Talents : appels, concours, résidences, mobilité"

    def ready(self):
        from campus.talent import contributions  # noqa: F401
