from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "campus.newsletter"
    verbose_name = "Lettre d'information"

    def ready(self):
        from campus.newsletter import contributions  # noqa: F401
