"""data.gouv.fr, "Communes et villes de France" (INSEE COG, IGN, La Poste).

Format: CSV, UTF-8 (a BOM is accepted), `,` separator, LF, quoted when needed,
about 35,000 rows; Licence Ouverte 2.0. Quirks: the first column has an empty
name (a pandas index); `codes_postaux` is a quoted list ("01500, 01501");
columns were added between the 2024 and 2025 editions. The reading and mapping
are `campus.places.services.load_communes`, shared with `manage.py
load_communes`; this module gives them an import run, progress and the campus's
region as filter.
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


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    campus = CampusProfile.load()
    region_codes = {campus.region.code} if campus.pk and campus.region_id else None
    progress.set_total(path.stat().st_size)
    with path.open("rb") as raw:
        check_not_binary(raw.read(4096), LABEL)
        raw.seek(0)
        try:
            loaded = load_communes(
                open_csv_text(raw, progress), region_codes=region_codes
            )
        except CommunesFileError as error:
            raise ImportFileError(str(error)) from error
    report.created, report.updated = loaded.created, loaded.updated
    report.unchanged = loaded.unchanged
    for line, reason in loaded.skips:
        report.skip(line, reason)
    report.rows_read = report.created + report.updated + report.unchanged
    report.rows_read += report.skipped
