from django.core.management.base import BaseCommand

from campus.observatory.aggregates import refresh_observatory


class Command(BaseCommand):
    help = (
        "Recalcule les chiffres de l'observatoire tirés du catalogue des formations "
        "et des interventions réalisées, et les totaux Urssaf de chaque commune pour "
        "les codes NAF de la filière (à lancer chaque nuit ; sans effet s'il n'y a "
        "rien de nouveau)."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(refresh_observatory()))
