"""The mobility counts as an XLSX workbook: one sheet per way of counting, the
counts as numbers (labels neutralised by `campus.spreadsheets`)."""

import io

from openpyxl import Workbook

from campus.spreadsheets import neutralise
from campus.talent.mobility import MobilityCounts

SHEETS = [
    ("Par année", "Année de départ", "by_year"),
    ("Par pays", "Pays d'accueil", "by_country"),
    ("Par métier", "Métier", "by_trade"),
    ("Par établissement", "Établissement d'envoi", "by_school"),
]


def counts_xlsx(counts: MobilityCounts) -> bytes:
    workbook = Workbook(write_only=True)
    for title, heading, attribute in SHEETS:
        sheet = workbook.create_sheet(title)
        sheet.append([heading, "Mobilités"])
        for label, count in getattr(counts, attribute):
            sheet.append([neutralise(label), count])
        sheet.append(["Total", counts.total])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts_filename(counts: MobilityCounts) -> str:
    return f"mobilites-{counts.year or 'toutes-annees'}.xlsx"
