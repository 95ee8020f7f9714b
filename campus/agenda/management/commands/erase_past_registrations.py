from django.core.management.base import BaseCommand

from campus.agenda.models import REGISTRATION_RETENTION_DAYS
from campus.agenda.registration import erase_past_registrations


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des inscrits "
        f"{REGISTRATION_RETENTION_DAYS} jours après la fin de l'événement (les "
        "nombres de places et les présences restent) et supprime les inscriptions "
        "jamais confirmées. purge_personal_data le fait aussi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compte ce qui serait effacé, sans rien modifier.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = erase_past_registrations(dry_run=dry_run)
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"{counts['registrations_erased']} inscription(s) {verb} anonymisée(s), "
            f"{counts['unconfirmed_deleted']} inscription(s) non confirmée(s) {verb} "
            "supprimée(s)."
        )
