from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "campus.accounts"
    verbose_name = "Comptes"
