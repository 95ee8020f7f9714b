import json
from pathlib import Path

from django.core.management.base import BaseCommand

from campus.trainings.geometry import base_layer, read_communes

PLACES_DATA = Path(__file__).resolve().parents[3] / "places" / "data"
DEFAULT_INPUT = PLACES_DATA / "communes-27-bourgogne-franche-comte.csv"
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parents[2] / "data" / "bourgogne-franche-comte.geojson"
)


class Command(BaseCommand):
    help = "Builds the map's offline base layer (région and départements outlines)."

    def add_arguments(self, parser):
        parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args, input, output, **options):
        layer = base_layer(
            read_communes(input),
            source=f"Enveloppes convexes des centres des communes de {input.name}",
        )
        output.write_text(
            json.dumps(layer, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        points = sum(len(f["geometry"]["coordinates"][0]) for f in layer["features"])
        self.stdout.write(
            f"{len(layer['features'])} contours ({points} points) écrits dans {output}."
        )
