from pathlib import Path

from django.core.management.base import CommandError

from campus.accounts.management.base import TeamMemberCommand
from campus.opendata.models import ImportSource, ImportStatus
from campus.opendata.services import run_import
from campus.places.services import SHIPPED_FILE


class Command(TeamMemberCommand):
    help = (
        "Charge les communes d'un fichier « Communes et villes de France » (data.gouv.fr) "
        "comme `import_data communes`, inscrit au journal des imports. Sans fichier, "
        "charge celui fourni avec Campus (Bourgogne-Franche-Comté)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=SHIPPED_FILE)
        parser.add_argument(
            "--region",
            action="append",
            dest="regions",
            help="Code INSEE d'une région à garder (répétable). Par défaut : celle "
            "du profil du campus, ou toutes.",
        )

    def handle(self, *args, path, regions, **options):
        run = run_import(
            ImportSource.COMMUNES,
            path,
            acting_user=self.acting_user(options),
            region_codes=set(regions) if regions else None,
        )
        if run.status != ImportStatus.SUCCEEDED:
            raise CommandError(f"{path} : {run.error}")
        self.stdout.write(
            f"{run.created} créées, {run.updated} mises à jour, "
            f"{run.unchanged} inchangées, {run.skipped} ignorées."
        )
