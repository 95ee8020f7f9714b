"""A frozen version as a PDF (WeasyPrint) and an XLSX workbook (openpyxl).

Both read only the version's stored JSON, never the live data: a version's files
can be drawn again and say the same thing. The PDF's page holds everything it
needs (style inline, the campus's logo as a data: URI, charts as inline SVG), so
its fetcher refuses every address (see `campus.pdf.NoNetworkFetcher`).
"""

import io
import re
from datetime import datetime

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from campus.dates import french_date
from campus.observatory.charts import chart_of
from campus.observatory.figures import french_number
from campus.pdf import HTML, NoNetworkFetcher, logo_data_uri
from campus.profiles.identity import ACCENT
from campus.profiles.models import CampusProfile
from campus.reports.models import ReportVersion
from campus.reports.sections import NO_DATA, thaw
from campus.spreadsheets import neutralise

SHEET_NAME_LENGTH = 31
# The text colour of the PDF: black ink on paper, as printed.
INK = "#000000"
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _display_cell(value, column: dict) -> str:
    if value is None:
        return "non diffusé" if column["numeric"] else "—"
    if column["numeric"] and isinstance(value, int | float):
        return french_number(value)
    return str(value)


def display_table(frozen: dict) -> dict:
    """A stored table ready for a template: cells as French text, its chart."""
    return {
        **frozen,
        "header": [
            (f"{c['label']} ({c['unit']})" if c["unit"] else c["label"], c["numeric"])
            for c in frozen["columns"]
        ],
        "cells": [
            [
                (_display_cell(value, column), column["numeric"])
                for value, column in zip(row, frozen["columns"], strict=False)
            ]
            for row in frozen["rows"]
        ],
        "chart": chart_of(thaw(frozen)) if frozen["rows"] else None,
    }


def display_sections(version: ReportVersion) -> list[dict]:
    return [
        {
            **section,
            "tables": [display_table(table) for table in section["tables"]],
            "narrative_at": datetime.fromisoformat(section["narrative"]["at"])
            if section["narrative"]
            else None,
        }
        for section in version.content.get("sections", [])
    ]


def _import_dates(version: ReportVersion) -> list[tuple[str, str]]:
    return [
        (label, french_date(datetime.fromisoformat(at).date()))
        for label, at in sorted(version.import_dates.items())
    ]


def render_pdf(version: ReportVersion) -> bytes:
    campus = CampusProfile.load()
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "campus": campus,
            "logo": logo_data_uri(campus),
            "accent": ACCENT,
            "ink": INK,
            "version": version,
            "report": version.report,
            "sections": display_sections(version),
            "generated_at": datetime.fromisoformat(version.content["generated_at"]),
            "import_dates": _import_dates(version),
            "no_data": NO_DATA,
        },
    )
    return HTML(
        string=html, base_url="data:,", url_fetcher=NoNetworkFetcher()
    ).write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")


def sheet_name(index: int, title: str) -> str:
    name = FORBIDDEN_IN_SHEET_NAMES.sub(" ", f"{index}. {title}")
    return name[:SHEET_NAME_LENGTH].rstrip()


def render_xlsx(version: ReportVersion) -> bytes:
    """One sheet per section: its tables with numbers as numbers, and under each
    its source, licence and period; a first sheet says what the workbook is."""
    content = version.content
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Rapport"
    cover.append([neutralise(content["title"])])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([f"Version {version.number}"])
    cover.append([f"Produite le {content['generated_at'][:10]}"])
    cover.append([])
    cover.append(["Source importée", "Dernier import"])
    for label, at in sorted(version.import_dates.items()):
        cover.append([label, at[:10]])
    for index, section in enumerate(content["sections"], start=1):
        sheet = workbook.create_sheet(sheet_name(index, section["title"]))
        sheet.append([neutralise(section["title"])])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([neutralise(section["criterion"])])
        if section["narrative"]:
            sheet.append([neutralise(section["narrative"]["text"])])
            sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True)
        if not section["tables"]:
            sheet.append([NO_DATA])
        for table in section["tables"]:
            sheet.append([])
            sheet.append([neutralise(table["title"])])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            sheet.append(
                [
                    neutralise(
                        f"{c['label']} ({c['unit']})" if c["unit"] else c["label"]
                    )
                    for c in table["columns"]
                ]
            )
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table["rows"]:
                sheet.append([neutralise(value) for value in row])
            if not table["rows"]:
                sheet.append(
                    [NO_DATA + (f" : {table['empty']}" if table["empty"] else "")]
                )
            sheet.append([neutralise(f"Source : {table['source']}")])
            sheet.append([neutralise(f"Licence : {table['licence']}")])
            sheet.append([neutralise(f"Période : {table['period']}")])
        sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
