from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "campus.places"
    verbose_name = "Territoires"
