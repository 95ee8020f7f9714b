"""A figure's table taken away: CSV (`;`, UTF-8 with a BOM, for French spreadsheets)
and XLSX (openpyxl), each carrying its title, territory, source, licence and address."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from campus.observatory.figures import Figure, Table
from campus.observatory.territories import Territory
from campus.spreadsheets import neutralise


def _heading(figure: Figure, territory: Territory, table: Table, url: str) -> list:
    return [
        [figure.title],
        [f"Territoire : {territory.label}"],
        [f"Période : {table.period}"],
        [f"Source : {table.source}"],
        [f"Licence : {table.licence}"],
        [f"Adresse : {url}"],
        [],
    ]


def _header(table: Table) -> list[str]:
    return [
        f"{column.label} ({column.unit})" if column.unit else column.label
        for column in table.columns
    ]


def _cell(value, table: Table):
    """A value as the file shows it: whole numbers without decimals (PostgreSQL's
    sums of decimal columns come back as 200.00), a withheld one in words."""
    if value is None:
        return table.withheld_label
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return neutralise(value)


def as_csv(figure: Figure, territory: Territory, table: Table, url: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(
        [neutralise(cell) for cell in line]
        for line in _heading(figure, territory, table, url)
    )
    writer.writerow([neutralise(cell) for cell in _header(table)])
    for row in table.rows:
        writer.writerow(
            [
                str(cell).replace(".", ",")
                if isinstance(cell, Decimal | float)
                else cell
                for cell in (_cell(value, table) for value in row)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(figure: Figure, territory: Territory, table: Table, url: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Données"
    for line in _heading(figure, territory, table, url):
        sheet.append([neutralise(cell) for cell in line])
    sheet["A1"].font = Font(bold=True)
    sheet.append([neutralise(cell) for cell in _header(table)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            [
                float(cell) if isinstance(cell, Decimal) else cell
                for cell in (_cell(value, table) for value in row)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
