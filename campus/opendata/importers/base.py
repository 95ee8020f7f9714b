"""What every importer shares: read -> map -> persist, and its report.

Each source module reads its file (columns found by header name, never by
position), maps each row to a record (raising SkippedRow for rows outside the
sector profile or the region, ImportFileError for a malformed row) and persists
the records; `campus.opendata.services.run_import` runs all of it in one
transaction.
"""

import csv
import io
import re
import tempfile
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection, models
from django.template.defaultfilters import filesizeformat

from campus import page_cache
from campus.opendata.progress import ProgressTracker
from campus.places.models import Commune
from campus.profiles.models import CampusProfile, SectorProfile

MAX_SKIPPED_EXAMPLES = 200
# Field types whose Python values the database drivers take as they are.
PLAIN_FIELD_TYPES = {
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "TextField",
    "URLField",
}
BLOCK_SIZE = 8 * 1024 * 1024
# Far above any published record: beyond it, a quote was left open.
MAX_RECORD_BYTES = 1024 * 1024
# Bytes that start a PNG, PDF, GIF, JPEG or ZIP-based office file: not a CSV.
BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")


class ImportFileError(Exception):
    """The file is not the expected one, or a line is malformed: nothing is written."""

    def __init__(self, message: str, *, line: int | None = None, column: str = ""):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def __str__(self):
        where = []
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}" if where else self.message


class SkippedRow(Exception):
    """A well-formed row that the sector profile or the region leaves out."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)
    skipped_examples: list[tuple[int, str]] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    def skip(self, line: int, reason: str) -> None:
        self.skipped += 1
        self.skipped_reasons[reason] += 1
        if len(self.skipped_examples) < MAX_SKIPPED_EXAMPLES:
            self.skipped_examples.append((line, reason))

    def skip_many(self, count: int, reason: str) -> None:
        if count:
            self.skipped += count
            self.skipped_reasons[reason] += count

    def upsert(
        self,
        instance: models.Model | None,
        values: dict,
        model: type[models.Model],
        **identity,
    ) -> models.Model:
        """The row created from its identity and values when there is none, else
        updated when a value differs; counted as created, updated or unchanged."""
        if instance is None:
            self.created += 1
            return model.objects.create(**identity, **values)
        if all(getattr(instance, key) == value for key, value in values.items()):
            self.unchanged += 1
            return instance
        for key, value in values.items():
            setattr(instance, key, value)
        instance.save()
        self.updated += 1
        return instance


def normalise_naf(code: str) -> str:
    """'1512Z', '15.12Z' and ' 15.12z' are the same NAF code: '15.12Z'."""
    code = code.strip().upper().replace(".", "")
    return f"{code[:2]}.{code[2:]}" if len(code) == 5 else code


def naf_pattern(codes: Iterable[str]) -> re.Pattern[bytes]:
    """A pattern finding any of these NAF codes (`15.12Z`) in raw bytes.

    It starts with the dot every code has, so the regex engine jumps from dot to
    dot and checks the rest there: one pass over a file whatever the number of
    codes, where one search per code costs one pass each.
    """
    prefixes_by_suffix: dict[bytes, list[bytes]] = defaultdict(list)
    for code in sorted(set(codes)):
        prefixes_by_suffix[re.escape(code[3:].encode())].append(
            re.escape(code[:2].encode())
        )
    if not prefixes_by_suffix:
        return re.compile(rb"\.(?!)")
    alternatives = b"|".join(
        suffix + rb"(?<=(?:" + b"|".join(prefixes) + rb")\." + suffix + b")"
        for suffix, prefixes in prefixes_by_suffix.items()
    )
    return re.compile(rb"\.(?:" + alternatives + b")")


def insert_rows(
    model: type[models.Model], fields: list[models.Field], rows: list[tuple]
) -> None:
    """Inserts rows of plain values with COPY (PostgreSQL) or executemany (SQLite).

    A large import creates tens of thousands of rows; the ORM's bulk_create spends
    most of that time preparing each value, while these values are plain strings,
    numbers and booleans: only the other types (dates, files, JSON) are adapted.
    """
    adapted = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() not in PLAIN_FIELD_TYPES
    ]
    if adapted:
        # A batch repeats the same few timestamps: adapt each distinct value once.
        memo: dict[tuple[int, object], object] = {}
        rows = [list(row) for row in rows]
        for row in rows:
            for index, field in adapted:
                value = row[index]
                try:
                    row[index] = memo[index, value]
                except KeyError:
                    row[index] = memo[index, value] = field.get_db_prep_save(
                        value, connection
                    )
                except TypeError:  # unhashable, such as JSON
                    row[index] = field.get_db_prep_save(value, connection)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one round trip, with binary-safe quoting.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # COPY is not seen by the cursor's execute(), which notes the others.
            page_cache.note_write(connection, [model._meta.db_table])
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows
        )


@dataclass
class Selection:
    """What the campus keeps: its sector's NAF codes and its départements."""

    naf_codes: set[str]
    departements: set[str]
    communes: dict[str, Commune]

    @classmethod
    def from_profiles(cls) -> "Selection":
        naf_codes = {normalise_naf(code) for code in SectorProfile.load().naf_code_list}
        if not naf_codes:
            raise ImportFileError(
                "le profil de la filière n'a aucun code NAF : renseignez-le avant d'importer."
            )
        departements = campus_departements()
        return cls(naf_codes, departements, communes_of(departements))

    def in_region(self, commune_code: str) -> bool:
        return in_departements(commune_code, self.departements)


def campus_departements() -> set[str]:
    """Codes of the départements the campus serves (`CampusProfile.served_departements`)."""
    return set(
        CampusProfile.load()
        .served_departements()
        .values_list("code", flat=True)
        .order_by()
    )


def communes_of(departements: set[str]) -> dict[str, Commune]:
    """Communes by INSEE code, of these départements (all of them when none)."""
    communes = Commune.objects.select_related("departement")
    if departements:
        communes = communes.filter(departement__code__in=departements)
    return {commune.insee_code: commune for commune in communes.order_by()}


def in_departements(commune_code: str, departements: set[str]) -> bool:
    """Whether an INSEE commune code is in these départements (any when none)."""
    if not departements:
        return True
    departement = (
        commune_code[:3] if commune_code.startswith("97") else commune_code[:2]
    )
    return departement in departements


class CountingReader(io.RawIOBase):
    """A binary file that reports to the progress tracker how many bytes were read."""

    def __init__(self, raw: BinaryIO, progress: ProgressTracker):
        self.raw, self.progress = raw, progress

    def readable(self):
        return True

    def readinto(self, buffer):
        count = self.raw.readinto(buffer)
        self.progress.advance(count or 0)
        return count


@contextmanager
def unpacked_csv(path: Path) -> Iterator[Path]:
    """The CSV inside a publisher's ZIP archive, extracted for the import, or the file."""
    if not zipfile.is_zipfile(path):
        yield path
        return
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, path.stat().st_size)
            members = [
                member
                for member in archive.infolist()
                if member.filename.lower().endswith(".csv") and not member.is_dir()
            ]
            if len(members) != 1:
                raise ImportFileError(
                    "l'archive doit contenir un seul fichier CSV "
                    f"(elle en contient {len(members)})."
                )
            # Beside Campus's other data: /tmp is often too small for Sirene (~6 GB).
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=settings.VAR_DIR) as directory:
                target = Path(directory) / "import.csv"
                extract_member(archive, members[0], target, path.stat().st_size)
                yield target
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ImportFileError("l'archive ZIP est illisible ou tronquée.") from error


def check_archive_file(path: Path) -> None:
    """For the sources that read their archive's members themselves, as streams."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, path.stat().st_size)
    except zipfile.BadZipFile as error:
        raise ImportFileError("l'archive ZIP est illisible ou tronquée.") from error


def check_archive(archive: zipfile.ZipFile, archive_size: int) -> None:
    """Refuses, from its directory alone, an archive that would unzip too large.

    A zip bomb (a few MB holding GB of zeros) declares its sizes honestly or not:
    this catches the honest ones before a byte is written, `extract_member` the
    others as it writes.
    """
    limit = settings.CAMPUS_MAX_UNZIPPED_BYTES
    members = archive.infolist()
    declared = sum(member.file_size for member in members)
    if declared > limit:
        raise ImportFileError(_too_large(declared))
    for member in members:
        compressed = min(max(member.compress_size, 1), archive_size)
        if member.file_size > settings.CAMPUS_MAX_ZIP_RATIO * compressed:
            raise ImportFileError(_too_compressed(member.filename, member.file_size))
    if declared > settings.CAMPUS_MAX_ZIP_RATIO * max(archive_size, 1):
        raise ImportFileError(_too_compressed("", declared))


def extract_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, archive_size: int
) -> None:
    """Copies one member to `target` as a stream, stopping at the archive's limits.

    The bytes written are counted against the limits, whatever the headers say;
    on refusal the caller's temporary folder goes, and the file with it.
    """
    limit = min(
        settings.CAMPUS_MAX_UNZIPPED_BYTES,
        settings.CAMPUS_MAX_ZIP_RATIO * max(archive_size, 1),
    )
    written = 0
    with archive.open(member) as source, target.open("wb") as copy:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                if written > settings.CAMPUS_MAX_UNZIPPED_BYTES:
                    raise ImportFileError(_too_large(written, at_least=True))
                raise ImportFileError(
                    _too_compressed(member.filename, written, at_least=True)
                )
            copy.write(chunk)


def _too_large(size: int, *, at_least: bool = False) -> str:
    return (
        f"l'archive ZIP ferait {'plus de ' if at_least else ''}"
        f"{filesizeformat(size)} une fois décompressée : la limite est de "
        f"{filesizeformat(settings.CAMPUS_MAX_UNZIPPED_BYTES)}."
    )


def _too_compressed(name: str, size: int, *, at_least: bool = False) -> str:
    what = f"le fichier « {name} » de l'archive" if name else "l'archive ZIP"
    return (
        f"{what} ferait {'plus de ' if at_least else ''}{filesizeformat(size)} une "
        f"fois décompressé, plus de {settings.CAMPUS_MAX_ZIP_RATIO} fois sa taille "
        "compressée : archive piégée (« bombe zip ») ? Rien n'est gardé."
    )


def file_start(path: Path) -> bytes:
    """The first bytes of a file, to tell its format; an empty file is refused."""
    with path.open("rb") as raw:
        start = raw.read(4096)
    if not start.strip():
        raise ImportFileError("le fichier est vide.", line=1)
    return start


def clean_cell(value: str) -> str:
    """A cell without surrounding blanks nor the doubled apostrophes of some exports."""
    return (value or "").strip().replace("''", "'")


def check_not_binary(start: bytes, source_label: str) -> None:
    if start.startswith(BINARY_SIGNATURES) or b"\x00" in start:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier CSV ({source_label} attendu)."
        )


def open_csv_text(raw: BinaryIO, progress: ProgressTracker) -> io.TextIOWrapper:
    """The file as text, without its BOM, reporting progress as it is read."""
    return io.TextIOWrapper(
        io.BufferedReader(CountingReader(raw, progress)),
        encoding="utf-8-sig",
        newline="",
    )


def read_header(
    reader: Iterator[list[str]], required: Iterable[str], source_label: str
) -> dict[str, int]:
    """Column positions by name, after checking this is the expected kind of file."""
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("le fichier est vide.", line=1) from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier {source_label} lisible.", line=1
        ) from error
    columns = {
        name.strip().lstrip("\ufeff"): index for index, name in enumerate(header)
    }
    missing = [name for name in required if name not in columns]
    if missing:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier {source_label} : colonnes manquantes "
            + ", ".join(missing)
            + ".",
            line=1,
        )
    return columns


def numbered_rows(
    reader, *, first_line: int, table: str = ""
) -> Iterator[tuple[int, list | dict]]:
    """(line where it starts, row) of each record a csv reader reads from `first_line`.

    A quoted field may hold line breaks, so a record starts on the line after the
    one where the previous record ended (the reader's line_num). A record whose
    quote is never closed is refused at its first line: the reader has already
    gone to the end of the file, where nothing shows what went wrong.
    """
    shift = first_line - 1 - reader.line_num
    start = first_line
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1 + shift
    except csv.Error as error:
        in_table = f" (table {table})" if table else ""
        raise ImportFileError(
            f"guillemet jamais fermé ou mal placé{in_table} : ligne coupée ou "
            "fichier tronqué.",
            line=start,
        ) from error


def check_width(row: list[str], width: int, line: int) -> None:
    if len(row) != width:
        raise ImportFileError(
            f"{len(row)} valeurs au lieu de {width} : ligne coupée ou fichier tronqué.",
            line=line,
        )


# A quoted field, from its opening to its closing quote ("" inside splits it in two,
# which keeps the quotes paired).
QUOTED = re.compile(rb'"[^"]*"')


class RecordScanner:
    """Finds, in a large CSV file, the records where a bytes pattern matches.

    The file is read in blocks of bytes into one reused buffer and searched with
    the pattern, so the rows that cannot match (99 % of the national Sirene stock) are
    never decoded nor parsed, and no block is copied. A block is scanned up to its
    last line break where quotes are balanced (a record boundary); the cut record
    is carried over to the next block. A block holding a line break inside a
    quoted field is parsed row by row with the csv module instead, so such records
    stay whole. The last line is always parsed, so a truncated file is noticed.
    `records` counts every record read.
    """

    def __init__(
        self,
        raw: BinaryIO,
        pattern: re.Pattern[bytes],
        *,
        first_line: int,
        on_bytes: Callable[[int], None],
        block_size: int = BLOCK_SIZE,
    ):
        self.raw, self.on_bytes, self.block_size = raw, on_bytes, block_size
        self.pattern = pattern
        self.first_line = first_line
        self.records = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        line = self.first_line
        buffer = bytearray(self.block_size)
        carry = b""
        while True:
            size = self.raw.readinto(buffer)
            self.on_bytes(size)
            if not size:
                if carry:
                    yield from self._scan(carry, 0, len(carry), line, last=True)
                return
            start, end = 0, buffer.rfind(b"\n", 0, size) + 1
            if carry:
                # The carried record ends at the first balanced line break of this block.
                start = buffer.find(b"\n", 0, end) + 1
                head = carry + buffer[:start]
                if not start or head.count(b'"') % 2:
                    carry = head + buffer[start:size]
                    if len(carry) <= 4 * self.block_size + MAX_RECORD_BYTES:
                        continue
                    # No record boundary in megabytes: parsing the lot says why.
                    line += yield from self._scan(carry, 0, len(carry), line)
                    carry = b""
                    continue
                line += yield from self._scan(head, 0, len(head), line, balanced=True)
            if (
                buffer.find(b'"', start, end) != -1
                and buffer.count(b'"', start, end) % 2
            ):
                carry = bytes(buffer[start:size])
                continue
            line += yield from self._scan(buffer, start, end, line, balanced=True)
            carry = bytes(buffer[end:size])

    def _scan(
        self,
        data,
        start: int,
        end: int,
        line: int,
        *,
        last: bool = False,
        balanced: bool = False,
    ):
        """Yields the candidate records of data[start:end]; returns its number of lines.

        `balanced`: the caller already counted an even number of quotes there.
        """
        if start == end:
            return 0
        if data.find(b'"', start, end) != -1 and (
            (not balanced and data.count(b'"', start, end) % 2)
            or any(
                data.find(b"\n", m.start(), m.end()) != -1
                for m in QUOTED.finditer(data, start, end)
            )
        ):
            return (yield from self._parse_all(bytes(data[start:end]), line))
        starts = []
        match = self.pattern.search(data, start, end)
        while match:
            starts.append(data.rfind(b"\n", start, match.start()) + 1 or start)
            line_end = data.find(b"\n", match.end(), end)
            match = line_end != -1 and self.pattern.search(data, line_end, end)
        ends_with_newline = data[end - 1 : end] == b"\n"
        if last and not ends_with_newline:
            last_start = data.rfind(b"\n", start, end) + 1 or start
            if not starts or starts[-1] != last_start:
                starts.append(last_start)
        # Line numbers are counted between candidates only: one pass over the block.
        counted_to, line_number = start, line
        for record_start in starts:
            line_number += data.count(b"\n", counted_to, record_start)
            counted_to = record_start
            record_end = data.find(b"\n", record_start, end)
            raw_line = data[record_start : end if record_end == -1 else record_end]
            try:
                text = raw_line.decode("utf-8").rstrip("\r")
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    "caractères illisibles : le fichier doit être encodé en UTF-8.",
                    line=line_number,
                ) from error
            yield line_number, next(csv.reader([text], strict=True))
        newlines = line_number - line + data.count(b"\n", counted_to, end)
        self.records += newlines + (0 if ends_with_newline else 1)
        return newlines

    def _parse_all(self, block: bytes, line: int):
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "caractères illisibles : le fichier doit être encodé en UTF-8.",
                line=line + block.count(b"\n", 0, error.start),
            ) from error
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        previous = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return block.count(b"\n")
            except csv.Error as error:
                raise ImportFileError(
                    "guillemet jamais fermé : le fichier semble tronqué.",
                    line=line + previous,
                ) from error
            record_line, previous = line + previous, reader.line_num
            if row:
                self.records += 1
                yield record_line, row


def dict_rows(
    raw: BinaryIO,
    progress: ProgressTracker,
    *,
    table: str,
    required: set[str],
    delimiter: str = ",",
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row by column name) of one table of a multi-table export, all checked."""
    reader = csv.DictReader(
        open_csv_text(raw, progress), delimiter=delimiter, strict=True
    )
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise ImportFileError(
            f"colonnes manquantes dans la table {table} : "
            f"{', '.join(sorted(missing))}.",
            line=1,
        )
    for line, row in numbered_rows(reader, first_line=2, table=table):
        if None in row or None in row.values():
            raise ImportFileError(
                f"nombre de valeurs incorrect (table {table}) : ligne coupée.",
                line=line,
            )
        yield line, row
