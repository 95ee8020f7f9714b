"""The registrant list as CSV and XLSX, for the organiser (formulas neutralised by
`campus.spreadsheets`)."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from campus.dates import french_date
from campus.spreadsheets import neutralise

HEADERS = [
    "Nom",
    "E-mail",
    "Places",
    "Établissement",
    "Élèves",
    "Statut",
    "Confirmée le",
    "Présence",
]


def _attendance(registration) -> str:
    return {True: "Présent", False: "Absent"}.get(registration.attended, "")


def rows(registrations):
    for registration in registrations:
        yield [
            neutralise(value)
            for value in (
                registration.name,
                registration.email,
                registration.places,
                registration.school_name,
                registration.pupil_count,
                registration.get_status_display(),
                french_date(registration.confirmed_at, "heure")
                if registration.confirmed_at
                else "",
                _attendance(registration),
            )
        ]


def export_csv(registrations) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a byte order mark: what French spreadsheets open directly.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows(registrations):
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(registrations) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inscriptions")
    sheet.append(HEADERS)
    for row in rows(registrations):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(event, file_format: str) -> str:
    return f"inscriptions-{event.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
