"""The ranking as an XLSX workbook: numbers stay numbers, texts are neutralised."""

from openpyxl import Workbook

from campus.spreadsheets import neutralise

RANKING_HEADERS = [
    "Rang",
    "Référence",
    "Projet",
    "Candidat",
    "Organisation",
    "Note moyenne (/20)",
    "Nombre d'évaluations",
    "Écart type",
    "Note minimale",
    "Note maximale",
    "Décision",
]


def ranking_workbook(call, rows) -> Workbook:
    """One row per submitted application, in ranking order. The team's export:
    it names the applicants even when the review is anonymous."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Classement")
    sheet.append(RANKING_HEADERS)
    for row in rows:
        application = row.application
        sheet.append(
            [
                row.rank,
                application.reference,
                neutralise(application.title),
                neutralise(str(application.applicant)),
                neutralise(str(application.organisation or "")),
                row.mean,
                row.count,
                row.stdev,
                row.low,
                row.high,
                application.get_decision_display(),
            ]
        )
    return workbook
