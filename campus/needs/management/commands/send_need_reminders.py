from django.core.management.base import BaseCommand

from campus.needs.services import send_review_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux éditeurs les besoins ouverts qu'ils n'ont pas revus depuis six "
        "mois ; un rappel par besoin jusqu'à sa prochaine revue. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        sent = send_review_reminders()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
