from django.core.management.base import BaseCommand

from campus.outreach.services import purge_unconfirmed_requests


class Command(BaseCommand):
    help = (
        "Supprime les demandes d'intervention jamais confirmées dont le lien a "
        "expiré (à lancer chaque jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Compter sans supprimer."
        )

    def handle(self, *args, dry_run, **options):
        count = purge_unconfirmed_requests(dry_run=dry_run)
        verb = "à supprimer" if dry_run else "supprimée(s)"
        self.stdout.write(f"Demandes non confirmées {verb} : {count}")
