from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus.places.services import CommunesFileError, load_communes

SHIPPED_FILE = (
    Path(__file__).resolve().parents[2] / "data/communes-27-bourgogne-franche-comte.csv"
)


class Command(BaseCommand):
    help = (
        "Charge les communes d'un fichier « Communes et villes de France » (data.gouv.fr). "
        "Sans fichier, charge celui fourni avec Campus (Bourgogne-Franche-Comté)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=SHIPPED_FILE)
        parser.add_argument(
            "--region",
            action="append",
            dest="regions",
            help="Code INSEE d'une région à garder (répétable). Par défaut : toutes.",
        )

    def handle(self, *args, path, regions, **options):
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                report = load_communes(
                    stream, region_codes=set(regions) if regions else None
                )
        except (OSError, UnicodeDecodeError, CommunesFileError) as error:
            raise CommandError(f"{path} : {error}") from error
        self.stdout.write(
            f"{report.created} créées, {report.updated} mises à jour, "
            f"{report.unchanged} inchangées, {report.skipped} ignorées."
        )
