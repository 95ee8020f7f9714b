from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "campus.offers"
    verbose_name = "Offres d'apprentissage, de stage et d'emploi"

    def ready(self):
        from campus.offers import contributions, signals  # noqa: F401
