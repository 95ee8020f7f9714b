from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "campus.profiles"
    verbose_name = "Profil du campus"
