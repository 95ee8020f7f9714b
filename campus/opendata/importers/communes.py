"""data.gouv.fr, "Communes et villes de France" (INSEE COG, IGN, La Poste).

Format: CSV, UTF-8 (a BOM is accepted), `,` separator, LF, quoted when needed,
about 35,000 rows; Licence Ouverte 2.0. Quirks: the first column has an empty
name (a pandas index); `codes_postaux` is a quoted list ("01500, 01501");
columns were added between the 2024 and 2025 editions. The reading, mapping and
saving are `campus.places.services.load_communes`; this module gives them an
import run, progress and the campus's region as filter (`manage.py
load_communes` names other régions).
"""

from pathlib import Path

from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    check_not_binary,
    open_csv_text,
)
from campus.opendata.progress import ProgressTracker
from campus.places.services import CommunesFileError, load_communes
from campus.profiles.models import CampusProfile

LABEL = "« Communes et villes de France »"


def import_file(
    path: Path,
    *,
    report: ImportReport,
    progress: ProgressTracker,
    region_codes: set[str] | None = None,
) -> None:
    if region_codes is None:
        campus = CampusProfile.load()
        region_codes = {campus.region.code} if campus.pk and campus.region_id else None
    progress.set_total(path.stat().st_size)
    with path.open("rb") as raw:
        check_not_binary(raw.read(4096), LABEL)
        raw.seek(0)
        try:
            load_communes(
                open_csv_text(raw, progress), report=report, region_codes=region_codes
            )
        except CommunesFileError as error:
            raise ImportFileError(str(error)) from error
