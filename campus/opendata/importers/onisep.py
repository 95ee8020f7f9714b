"""ONISEP Idéo open data: one reader for its three download formats.

Source: opendata.onisep.fr (mirrored on data.gouv.fr), licence ODbL: a database
that reuses it must be offered under the same licence, and every record keeps
"ONISEP, Idéo" as source. Each dataset is published three ways, read here into
the same records keyed by the JSON/XML keys:
- CSV download: French labels as header (`code UAI`, `commune (COG)`,
  `longitude (X)`), `;` separator, UTF-8 with a BOM; the labels become the keys
  by lower-casing, dropping accents and apostrophes and joining words with `_`
  (`n° SIRET` -> `n_siret`, `type d'établissement` -> `type_detablissement`);
  re-exports of the JSON use the keys themselves as header and `,`;
- JSON download: a list of objects with snake_case keys;
- XML download: `<root><item><key>value</key>…</item>…</root>`, no declaration.
Multi-valued cells are `|`-separated (with or without spaces), dates `dd/mm/yyyy`.
"""

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

from django.core.exceptions import ValidationError

from campus.opendata.importers.base import (
    ImportFileError,
    ImportReport,
    SkippedRow,
    check_not_binary,
    file_start,
    numbered_rows,
    open_csv_text,
)
from campus.opendata.progress import ProgressTracker

SOURCE = "ONISEP, Idéo"
LICENCE = "ODbL"
ONISEP_ID = re.compile(r"((?:FOR|ENS|AF|MET)\.\d+)/?$")


def label_to_key(label: str) -> str:
    """The JSON key of an ONISEP CSV label: 'n° SIRET' -> 'n_siret'."""
    text = unicodedata.normalize("NFKD", label.strip().lstrip("\ufeff").lower())
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]", "", text)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def onisep_id(url: str) -> str:
    """The stable id at the end of an ONISEP URL: '…/slug/ENS.13362' -> 'ENS.13362'."""
    match = ONISEP_ID.search((url or "").strip())
    return match.group(1) if match else ""


def coordinate(record: dict, key: str, line: int, low: float, high: float):
    """A decimal-degree coordinate of a record, None when empty; out of range is an error."""
    value = record.get(key, "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ImportFileError(
            f"« {value} » n'est pas une coordonnée.", line=line, column=key
        )
    return number


def checked_identifier(value: str, validate, line: int, column: str) -> str:
    """An official identifier (UAI, SIRET) that passes its validator, else an error."""
    try:
        validate(value)
    except ValidationError as error:
        raise ImportFileError(error.messages[0], line=line, column=column) from None
    return value


def split_values(cell: str) -> list[str]:
    return [value.strip() for value in (cell or "").split("|") if value.strip()]


def iter_records(
    path: Path,
    *,
    required: set[str],
    label: str,
    progress: ProgressTracker,
    renamed: dict[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line or item number, record) of an ONISEP file in any of its formats.

    `renamed` maps the keys of older or other variants to the current ones, before
    the required keys are checked.
    """
    start = file_start(path)
    check_not_binary(start, label)
    progress.set_total(path.stat().st_size)
    renamed = renamed or {}
    with path.open("rb") as raw:
        first = start.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first in (b"[", b"{"):
            records = _json_records(raw, required, label, progress, renamed)
        elif first == b"<":
            records = _xml_records(raw, required, label, progress, renamed)
        else:
            records = _csv_records(raw, required, label, progress, renamed)
        yield from records


def kept_records(
    path: Path,
    *,
    required: set[str],
    label: str,
    progress: ProgressTracker,
    report: ImportReport,
    map_record: Callable[[dict, int], dict],
    key: str | None = None,
    duplicate: str = "",
    renamed: dict[str, str] | None = None,
) -> Iterator[dict]:
    """The values of the records that `map_record(record, line)` keeps.

    Every record read is counted in the report; one that `map_record` skips
    (SkippedRow) is reported with its reason, and, when `key` is given, one whose
    `values[key]` came before is reported as `duplicate`.
    """
    seen: set[str] = set()
    for line, record in iter_records(
        path, required=required, label=label, progress=progress, renamed=renamed
    ):
        report.rows_read += 1
        try:
            values = map_record(record, line)
        except SkippedRow as skipped:
            report.skip(line, skipped.reason)
            continue
        if key is not None:
            if values[key] in seen:
                report.skip(line, duplicate)
                continue
            seen.add(values[key])
        yield values


def _check_keys(keys, required: set[str], label: str, where: int) -> None:
    missing = sorted(required - set(keys))
    if missing:
        raise ImportFileError(
            f"ce fichier n'est pas un fichier {label} : champs manquants "
            + ", ".join(missing)
            + ".",
            line=where,
        )


def _csv_records(raw, required, label, progress, renamed):
    text = open_csv_text(raw, progress)
    header_line = text.readline()
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        header = next(csv.reader([header_line], delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(f"en-tête illisible ({error}).", line=1) from None
    keys = [renamed.get(key, key) for key in map(label_to_key, header)]
    _check_keys(keys, required, label, 1)
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    for line, row in numbered_rows(reader, first_line=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(keys):
            raise ImportFileError(
                f"{len(row)} valeurs au lieu de {len(keys)} : ligne coupée "
                "ou fichier tronqué.",
                line=line,
            )
        yield line, dict(zip(keys, (cell.strip() for cell in row), strict=True))


def _json_records(raw, required, label, progress, renamed):
    try:
        data = json.load(open_csv_text(raw, progress))
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"JSON illisible ou tronqué ({error.msg}).", line=error.lineno
        ) from None
    if isinstance(data, dict):
        # The search API wraps its records; the download is a bare list.
        data = data.get("results", data)
    if not isinstance(data, list):
        raise ImportFileError(f"ce fichier n'est pas un fichier {label}.")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFileError("élément qui n'est pas un objet.", line=number)
        record = {
            renamed.get(key, key): "" if value is None else str(value).strip()
            for key, value in item.items()
        }
        if number == 1:
            _check_keys(record.keys(), required, label, number)
        yield number, record


def _xml_records(raw, required, label, progress, renamed):
    number = 0
    try:
        for _event, element in ElementTree.iterparse(
            open_csv_text(raw, progress), events=("end",)
        ):
            if element.tag != "item":
                continue
            number += 1
            record = {
                renamed.get(child.tag, child.tag): (child.text or "").strip()
                for child in element
            }
            if number == 1:
                _check_keys(record.keys(), required, label, number)
            yield number, record
            element.clear()
    except ElementTree.ParseError as error:
        raise ImportFileError(
            f"XML mal formé ou tronqué (élément {number + 1}, {error}).",
            line=error.position[0],
        ) from None
