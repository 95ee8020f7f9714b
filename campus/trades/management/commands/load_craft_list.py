from django.core.management.base import BaseCommand

from campus.trades.services import load_craft_reference


class Command(BaseCommand):
    help = "Charge les domaines et métiers d'art de l'arrêté du 24 décembre 2015 (idempotent)."

    def handle(self, *args, **options):
        report = load_craft_reference()
        self.stdout.write(
            f"Domaines créés : {report.domains_created} · métiers créés : "
            f"{report.trades_created} · métiers mis à jour : {report.trades_updated}"
        )
