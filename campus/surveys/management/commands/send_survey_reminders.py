from django.core.management.base import BaseCommand

from campus.surveys.services import send_survey_reminders


class Command(BaseCommand):
    help = (
        "Relance une fois les organisations qui n'ont pas répondu à une enquête sur "
        "les besoins, le nombre de jours choisi après l'envoi et jamais après la "
        "clôture. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        sent = send_survey_reminders()
        self.stdout.write(f"{sent} relance(s) envoyée(s).")
