"""What the annual report adds to other pages: its back-office card."""

from campus import contributions
from campus.contributions import BackOfficeCard

contributions.back_office.register(
    BackOfficeCard(
        title="Rapport d'activité",
        description=(
            "Le rapport annuel sur les critères du label : chiffres de la période, "
            "textes de l'équipe, versions figées en PDF et XLSX."
        ),
        link_label="Rapports d'activité",
        url_name="reports:report_list",
    )
)
