"""INSEE, base Sirene: StockEtablissement (and StockUniteLegale for names).

Format: CSV, UTF-8, `,` separator, values quoted only when needed, one header
line; published monthly on data.gouv.fr under the Licence Ouverte 2.0, about
40 million rows and several GB for France. Quirks:
- columns change between vintages, so they are found by name: 48 in the 2019
  stock, 53 in 2024 (adding the BAN address id and
  `coordonneeLambertAbscisseEtablissement`/`…OrdonneeEtablissement`, Lambert-93
  metres, EPSG:2154), 54 from 2025 (`activitePrincipaleNAF25Etablissement`, not
  read: the sector profile's codes are NAF rév. 2, still in
  `activitePrincipaleEtablissement`); the 2019 "géo-SIRENE" layout has
  `longitude`/`latitude` instead of Lambert coordinates;
- NAF codes carry a dot (`15.12Z`) where URSSAF writes `1512Z`;
- units in partial diffusion show `[ND]` instead of their address and
  coordinates: what is published is kept, the commune's coordinates stand in;
- the company name is not in this file: `StockUniteLegale` gives
  `denominationUniteLegale`, or `prenom1UniteLegale nomUniteLegale` for a person.

Rows are kept when active (`etatAdministratifEtablissement == "A"`), of a NAF
code of the sector profile and in a département of the campus. The file is
streamed: the NAF codes are looked for in raw bytes first, so only the few
candidate rows are decoded and parsed, and memory does not grow with the file.
Organisations are upserted by SIRET; those not imported from Sirene (typed by
the team or a partner) are left as they are, and imported ones that Sirene now
reports closed are withdrawn from the directory (unpublished, not deleted).
"""

import csv
import io
import math
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from operator import itemgetter
from pathlib import Path

from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from pyproj import Transformer
from simple_history.utils import bulk_update_with_history

from campus.network.models import (
    Organisation,
    OrganisationKind,
    organisation_search_text,
)
from campus.opendata.importers import sirene_census
from campus.opendata.importers.base import (
    CountingReader,
    ImportFileError,
    ImportReport,
    RecordScanner,
    Selection,
    SkippedRow,
    check_not_binary,
    check_width,
    insert_rows,
    naf_pattern,
    normalise_naf,
    read_header,
    unpacked_csv,
)
from campus.opendata.progress import ProgressTracker
from campus.places.models import coordinates_or_commune

SOURCE = "INSEE, base Sirene"
LICENCE = "Licence Ouverte 2.0"
LABEL = "« StockEtablissement » de la base Sirene"
UNITS_LABEL = "« StockUniteLegale » de la base Sirene"
REQUIRED = [
    "siret",
    "etatAdministratifEtablissement",
    "activitePrincipaleEtablissement",
    "codeCommuneEtablissement",
]
LAMBERT = (
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
)
WGS84 = ("longitude", "latitude")
NOT_DISCLOSED = "[ND]"
BATCH_SIZE = 1000
CHANGE_REASON = "Import de la base Sirene"
CLOSED = "établissement fermé"
COMPARED_FIELDS = [
    "name",
    "naf_code",
    "size_band",
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "source",
    "source_licence",
]


def _value(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None:
        return ""
    value = row[index].strip()
    return "" if value == NOT_DISCLOSED else value


def map_row(
    row: list[str],
    columns: dict[str, int],
    line: int,
    selection: Selection,
) -> dict:
    """The organisation described by one row, or SkippedRow."""
    check_width(row, len(columns), line)
    naf = normalise_naf(row[columns["activitePrincipaleEtablissement"]])
    if naf not in selection.naf_codes:
        raise SkippedRow("activité hors de la filière")
    if row[columns["etatAdministratifEtablissement"]].strip() != "A":
        raise SkippedRow(CLOSED)
    commune_code = row[columns["codeCommuneEtablissement"]].strip()
    if not selection.in_region(commune_code):
        raise SkippedRow("hors des départements du campus")
    siret = row[columns["siret"]].strip()
    if len(siret) != 14 or not siret.isdigit():
        raise ImportFileError(
            f"« {siret} » n'est pas un SIRET (14 chiffres).", line=line, column="siret"
        )
    lambert = LAMBERT[0] in columns
    x_column, y_column = LAMBERT if lambert else WGS84
    x = _coordinate(row, columns, x_column, line)
    y = _coordinate(row, columns, y_column, line)
    street = " ".join(
        part
        for part in (
            _value(row, columns, "numeroVoieEtablissement"),
            _value(row, columns, "indiceRepetitionEtablissement"),
            _value(row, columns, "typeVoieEtablissement"),
            _value(row, columns, "libelleVoieEtablissement"),
        )
        if part
    )
    name = (
        _value(row, columns, "denominationUsuelleEtablissement")
        or _value(row, columns, "enseigne1Etablissement")
        or f"Établissement {siret}"
    )
    return {
        "siret": siret,
        "naf": naf,
        "size_band": _value(row, columns, "trancheEffectifsEtablissement")
        or sirene_census.UNKNOWN_BAND,
        "name": name[:200],
        "address": street[:250],
        "postal_code": _value(row, columns, "codePostalEtablissement")[:5],
        "commune": selection.communes.get(commune_code),
        "x": x,
        "y": y,
        # Overseas départements use other projections: their communes stand in.
        "lambert": lambert and not commune_code.startswith("97"),
        "line": line,
    }


def _coordinate(row, columns, column: str, line: int) -> float | None:
    value = _value(row, columns, column)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ImportFileError(
            f"« {value} » n'est pas une coordonnée.", line=line, column=column
        ) from None
    if not math.isfinite(number):
        raise ImportFileError(
            f"« {value} » n'est pas une coordonnée.", line=line, column=column
        )
    return number


def _history_value(value):
    # The history keeps a file's name (a text column), not the file.
    return value.name if isinstance(value, FieldFile) else value


class Persister:
    """Upserts organisations by SIRET, a batch at a time."""

    def __init__(self, report: ImportReport, *, source: str, licence: str):
        self.report, self.source, self.licence = report, source, licence
        self.to_wgs84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
        self.batch: list[dict] = []
        template = Organisation(
            kind=OrganisationKind.COMPANY,
            is_published=True,
            is_demo=False,
            source=source,
            source_licence=licence,
        )
        self.template = {
            field.attname: _history_value(getattr(template, field.attname))
            for field in Organisation._meta.concrete_fields
        }
        self.closed: dict[str, int] = {}
        self.refresh_known_sirets()

    def refresh_known_sirets(self) -> None:
        # SIRETs already in the directory: most batches of a first import then need
        # no lookup. It grows with the directory, not with the file.
        self.known_sirets = set(
            Organisation.objects.exclude(siret="").values_list("siret", flat=True)
        )

    def add(self, record: dict) -> None:
        self.batch.append(record)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def prepare(self, records: list[dict]) -> None:
        """Computes what does not depend on the database, before the transaction.

        WGS84 coordinates, slug and search text are most of the writing's time:
        done here, they keep SQLite's write lock short.
        """
        for start in range(0, len(records), BATCH_SIZE):
            self._coordinates(records[start : start + BATCH_SIZE])
        for record in records:
            commune = record["commune"]
            record["slug"] = f"{slugify(record['name'])[:190]}-{record['siret']}"
            record["search_text"] = organisation_search_text(
                name=record["name"],
                kind=OrganisationKind.COMPANY,
                commune_name=commune.name if commune else "",
            )
            record["prepared"] = True

    def _coordinates(self, records: list[dict]) -> None:
        lambert = [r for r in records if r["lambert"] and r["x"] is not None]
        if lambert:
            longitudes, latitudes = self.to_wgs84.transform(
                [r["x"] for r in lambert], [r["y"] for r in lambert]
            )
            for record, longitude, latitude in zip(
                lambert, longitudes, latitudes, strict=True
            ):
                record["x"], record["y"] = longitude, latitude
        for record in records:
            longitude, latitude = record["x"], record["y"]
            if latitude is not None and not math.isfinite(latitude):
                latitude = None
            latitude, longitude = coordinates_or_commune(
                latitude, longitude, record["commune"]
            )
            record["longitude"] = None if longitude is None else round(longitude, 6)
            record["latitude"] = None if latitude is None else round(latitude, 6)

    def _new_values(self, record: dict) -> dict:
        """The column values of a new organisation, keyed by attribute name.

        A first import creates tens of thousands of companies: building them from
        one template costs a tenth of constructing each model instance.
        """
        commune = record["commune"]
        values = dict(self.template)
        values.update(
            siret=record["siret"],
            slug=record["slug"],
            name=record["name"],
            naf_code=record["naf"],
            size_band=record["size_band"],
            address=record["address"],
            postal_code=record["postal_code"],
            commune_id=commune.pk if commune else None,
            latitude=record["latitude"],
            longitude=record["longitude"],
            search_text=record["search_text"],
        )
        return values

    def _create(self, organisations: list[dict]) -> None:
        """Inserts new organisations and their first history record."""
        now = timezone.now()
        fields = [
            field
            for field in Organisation._meta.concrete_fields
            if not field.primary_key
        ]
        for organisation in organisations:
            organisation["created_at"] = organisation["updated_at"] = now
        values_of = itemgetter(*(field.attname for field in fields))
        last_pk = Organisation.objects.aggregate(last=Max("pk"))["last"] or 0
        insert_rows(Organisation, fields, [values_of(o) for o in organisations])
        # The rows just inserted are the ones above the previous last key.
        ids = dict(
            Organisation.objects.filter(pk__gt=last_pk, source=self.source)
            .order_by("pk")
            .values_list("siret", "pk")
        )
        self.known_sirets.update(ids)
        history = Organisation.history.model
        tracked = [
            history._meta.get_field(field.name) for field in history.tracked_fields
        ]
        extra = [
            history._meta.get_field(name)
            for name in ("history_date", "history_change_reason", "history_type")
        ]
        tracked_values = itemgetter(
            *(field.attname for field in history.tracked_fields)
        )
        rows = []
        for organisation in organisations:
            organisation["id"] = ids[organisation["siret"]]
            rows.append((*tracked_values(organisation), now, CHANGE_REASON, "+"))
        insert_rows(history, tracked + extra, rows)

    def close(self, siret: str, line: int) -> None:
        """Notes a company of the directory that Sirene now reports closed."""
        self.closed[siret] = line

    def unpublish_closed(self) -> None:
        """Withdraws from the directory the imported companies that have closed."""
        closing = list(
            Organisation.objects.filter(
                siret__in=list(self.closed), source=self.source, is_published=True
            ).order_by("pk")
        )
        for organisation in closing:
            organisation.is_published = False
            organisation.updated_at = timezone.now()
        bulk_update_with_history(
            closing,
            Organisation,
            ["is_published", "updated_at"],
            batch_size=BATCH_SIZE,
            default_change_reason=f"{CHANGE_REASON} : {CLOSED}",
        )
        self.report.updated += len(closing)
        withdrawn = {organisation.siret for organisation in closing}
        for siret, line in self.closed.items():
            if siret not in withdrawn:
                self.report.skip(line, CLOSED)

    def flush(self) -> None:
        if not self.batch:
            return
        unprepared = [record for record in self.batch if "prepared" not in record]
        if unprepared:
            self.prepare(unprepared)
        known = [r["siret"] for r in self.batch if r["siret"] in self.known_sirets]
        existing = {
            organisation.siret: organisation
            for organisation in Organisation.objects.filter(siret__in=known).order_by(
                "pk"
            )
        }
        new, changed = [], []
        for record in self.batch:
            values = {
                "name": record["name"],
                "naf_code": record["naf"],
                "size_band": record["size_band"],
                "address": record["address"],
                "postal_code": record["postal_code"],
                "commune": record["commune"],
                "latitude": record["latitude"],
                "longitude": record["longitude"],
                "source": self.source,
                "source_licence": self.licence,
            }
            organisation = existing.get(record["siret"])
            if organisation is None:
                new.append(self._new_values(record))
            elif organisation.source != self.source:
                self.report.skip(
                    record["line"],
                    "déjà dans l'annuaire, saisie par le campus ou un partenaire",
                )
            elif any(getattr(organisation, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(organisation, key, value)
                organisation.updated_at = timezone.now()
                organisation.fill_derived_fields()
                changed.append(organisation)
            else:
                self.report.unchanged += 1
        if new:
            self._create(new)
            self.report.created += len(new)
        if changed:
            bulk_update_with_history(
                changed,
                Organisation,
                [*COMPARED_FIELDS, "search_text", "updated_at"],
                batch_size=BATCH_SIZE,
                default_change_reason=CHANGE_REASON,
            )
            self.report.updated += len(changed)
        self.batch = []


def _scan_rows(raw, selection: Selection, progress: ProgressTracker):
    start = raw.read(4096)
    check_not_binary(start, LABEL)
    first_line_end = start.find(b"\n")
    raw.seek(0)
    header_line = raw.readline() if first_line_end != -1 else raw.read()
    progress.advance(len(header_line))
    try:
        header_text = header_line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier {LABEL} lisible.", line=1
        ) from error
    columns = read_header(csv.reader([header_text]), REQUIRED, LABEL)
    scanner = RecordScanner(
        raw,
        naf_pattern(selection.naf_codes),
        first_line=2,
        on_bytes=progress.advance,
    )
    return columns, scanner


def read_unit_names(
    path: Path, sirens: set[str], progress: ProgressTracker
) -> dict[str, str]:
    """Names of the legal units kept, streamed from StockUniteLegale."""
    names = {}
    with path.open("rb") as raw:
        check_not_binary(raw.read(4096), UNITS_LABEL)
        raw.seek(0)
        counted = io.BufferedReader(CountingReader(raw, progress))
        try:
            header = counted.readline().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"ce fichier n'est pas un fichier {UNITS_LABEL} lisible.", line=1
            ) from error
        columns = read_header(
            csv.reader([header]), ["siren", "denominationUniteLegale"], UNITS_LABEL
        )
        for line, row in _unit_rows(counted, columns["siren"], sirens):
            check_width(row, len(columns), line)
            person = " ".join(
                part
                for part in (
                    _value(row, columns, "prenom1UniteLegale"),
                    _value(row, columns, "nomUsageUniteLegale")
                    or _value(row, columns, "nomUniteLegale"),
                )
                if part
            )
            name = _value(row, columns, "denominationUniteLegale") or person
            if name:
                names[row[columns["siren"]]] = name
    return names


def _unit_rows(
    lines: io.BufferedReader, siren_index: int, sirens: set[str]
) -> Iterator[tuple[int, list[str]]]:
    """(line, row) of the legal units whose SIREN is kept.

    As published, the SIREN is the first column: a line is decoded and parsed only
    when it starts with a kept SIREN (the file has about 28 million lines). A line
    with an unclosed quote is joined to the next ones, so a line break inside
    quotes stays in its record. In another column order, every row is parsed.
    """
    if siren_index != 0:
        reader = csv.reader(
            io.TextIOWrapper(lines, encoding="utf-8", newline=""), strict=True
        )
        line = 2
        try:
            for row in reader:
                if row and row[siren_index] in sirens:
                    yield line, row
                line = reader.line_num + 2
        except csv.Error as error:
            raise ImportFileError(f"{UNITS_LABEL} : {error}", line=line) from error
        return
    wanted = {siren.encode() for siren in sirens}
    pending, pending_line = b"", 0
    for number, line in enumerate(lines, start=2):
        if pending:
            pending += line
            if pending.count(b'"') % 2:
                continue
            line, number, pending = pending, pending_line, b""
        elif b'"' in line and line.count(b'"') % 2:
            pending, pending_line = line, number
            continue
        if line[:9] in wanted:
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    "caractères illisibles : le fichier doit être encodé en UTF-8.",
                    line=number,
                ) from error
            yield number, next(csv.reader(io.StringIO(text, newline="")))
    if pending:
        raise ImportFileError(
            f"{UNITS_LABEL} : guillemet jamais fermé, le fichier semble tronqué.",
            line=pending_line,
        )


def import_file(
    path: Path,
    *,
    report: ImportReport,
    progress: ProgressTracker,
    unites_legales: Path | None = None,
) -> None:
    read_file(path, report=report, progress=progress, unites_legales=unites_legales)()


def read_file(
    path: Path,
    *,
    report: ImportReport,
    progress: ProgressTracker,
    unites_legales: Path | None = None,
) -> Callable[[], None]:
    """Reads and maps the whole file, and returns the function that writes it.

    The national stock takes minutes to read and its writes a second or two:
    `run_import` reads outside the write transaction, so that SQLite, which lets
    one writer in at a time, keeps the site writable meanwhile.
    """
    selection = Selection.from_profiles()
    with unpacked_csv(unites_legales) if unites_legales else nullcontext() as units:
        size = path.stat().st_size
        progress.set_total(size + (units.stat().st_size if units else 0))
        persister = Persister(report, source=SOURCE, licence=LICENCE)
        census = sirene_census.Census(selection)
        kept = list(_kept_records(path, selection, persister, census, report, progress))
        if units:
            # The names come after the scan: the file of legal units is read once,
            # for the SIRETs kept.
            names = read_unit_names(
                units, {record["siret"][:9] for record in kept}, progress
            )
            for record in kept:
                record["name"] = names.get(record["siret"][:9], record["name"])[:200]
        persister.prepare(kept)

    def write() -> None:
        # The directory may have changed while the file was read.
        persister.refresh_known_sirets()
        for record in kept:
            persister.add(record)
        persister.flush()
        persister.unpublish_closed()
        sirene_census.persist(census, source=SOURCE, licence=LICENCE)

    return write


def _kept_records(
    path: Path,
    selection: Selection,
    persister: Persister,
    census: sirene_census.Census,
    report: ImportReport,
    progress: ProgressTracker,
) -> Iterator[dict]:
    """The companies to import, as the file is read; then the report of the rest.

    Every row of a sector NAF code, wherever it is and open or closed, is also
    counted for the observatory (`sirene_census`).
    """
    seen: set[str] = set()
    kept_by_naf: Counter = Counter()
    candidates = 0
    with path.open("rb") as raw:
        columns, scanner = _scan_rows(raw, selection, progress)
        census.start(columns)
        naf_index = columns["activitePrincipaleEtablissement"]
        for line, row in scanner:
            candidates += 1
            check_width(row, len(columns), line)
            naf = normalise_naf(row[naf_index])
            if naf in selection.naf_codes:
                census.count(row, naf, line)
            try:
                record = map_row(row, columns, line, selection)
                if record["siret"] in seen:
                    raise SkippedRow("ligne en double (même SIRET)")
            except SkippedRow as skipped:
                siret = row[columns["siret"]].strip()
                if skipped.reason == CLOSED and siret in persister.known_sirets:
                    persister.close(siret, line)
                else:
                    report.skip(line, skipped.reason)
                continue
            seen.add(record["siret"])
            kept_by_naf[record["naf"]] += 1
            yield record
    report.rows_read = scanner.records
    report.skip_many(scanner.records - candidates, "activité hors de la filière")
    report.summary = {
        "title": "Établissements actifs de la filière dans les départements du "
        f"campus (stock {census.year})",
        "columns": ["Code NAF", "Établissements"],
        "rows": [[naf, count] for naf, count in sorted(kept_by_naf.items())],
    }
