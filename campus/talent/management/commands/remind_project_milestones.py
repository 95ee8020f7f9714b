from django.core.management.base import BaseCommand

from campus.talent.followup import send_milestone_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux lauréats les étapes de leur projet prévues dans les sept jours "
        "ou en retard ; un rappel par étape. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        sent = send_milestone_reminders()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
