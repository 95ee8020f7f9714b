from django.core.management.base import BaseCommand

from campus.offers.services import send_offer_reminders


class Command(BaseCommand):
    help = (
        "Écrit aux entreprises dont une offre expire dans les sept jours, avec le "
        "lien qui la prolonge ; une fois par date de fin. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        sent = send_offer_reminders()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
