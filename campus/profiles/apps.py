from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ProfilesConfig(AppConfig):
    name = "campus.profiles"
    verbose_name = "Profil du campus"

    def ready(self):
        from campus import page_cache

        # Every connection notes its writes, which retire the pages kept in memory.
        connection_created.connect(page_cache.install, dispatch_uid="page_cache")
