from django.core.management.base import BaseCommand

from campus.agenda.registration import send_event_reminders


class Command(BaseCommand):
    help = (
        "Envoie le rappel de la veille aux inscrits des événements de demain ; "
        "chacun ne le reçoit qu'une fois. À lancer chaque jour (cron ou timer systemd)."
    )

    def handle(self, *args, **options):
        sent = send_event_reminders()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
