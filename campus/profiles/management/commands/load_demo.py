from django.core.management.base import BaseCommand

from campus.demo import DEMO_PASSWORD, load_demo_campus


class Command(BaseCommand):
    help = "Charge le campus de démonstration (CMQ Maroquinerie et Métiers d'Art). Relançable sans doublon."

    def handle(self, *args, **options):
        accounts = load_demo_campus()
        self.stdout.write(self.style.SUCCESS("Campus de démonstration chargé."))
        self.stdout.write(
            f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :"
        )
        for email, what in accounts:
            self.stdout.write(f"  {email:40} {what}")
        self.stdout.write(
            "Site : http://127.0.0.1:8000/  ·  gestion : http://127.0.0.1:8000/gestion/"
        )
