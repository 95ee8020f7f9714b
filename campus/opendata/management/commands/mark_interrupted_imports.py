from django.conf import settings
from django.core.management.base import BaseCommand

from campus.opendata.services import mark_interrupted_runs


class Command(BaseCommand):
    help = (
        "Marque « Interrompu » les imports en cours sans nouvelles depuis "
        "CAMPUS_IMPORT_STALE_AFTER secondes (leur processus a été arrêté). "
        "task_worker le fait à son démarrage."
    )

    def handle(self, *args, **options):
        runs = mark_interrupted_runs()
        for run in runs:
            self.stdout.write(f"Import n° {run.pk} ({run.source}) : {run.error}")
        self.stdout.write(
            f"{len(runs)} import(s) interrompu(s), sans nouvelles depuis plus de "
            f"{settings.CAMPUS_IMPORT_STALE_AFTER} s."
        )
