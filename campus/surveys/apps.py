from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "campus.surveys"
    verbose_name = "Enquêtes sur les besoins"
