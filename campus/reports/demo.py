"""Last year's report of the demo campus, with the team's first texts.

Idempotent: the report is matched by its period, each text by its section. The
report is flagged `is_demo` and its texts say « Démo ».
"""

from datetime import date

from django.utils import timezone

from campus.accounts.models import User
from campus.reports.models import Report
from campus.reports.services import save_narrative

TEAM_EMAIL = "equipe@campus.example"
NARRATIVES = {
    "objectifs": (
        "Démo. Trois objectifs pour l'année :\n\n"
        "- faire connaître les métiers de la filière aux collégiens ;\n"
        "- ouvrir une formation en apprentissage de niveau 4 ;\n"
        "- accueillir deux mobilités européennes de plus."
    ),
    "gouvernance": (
        "Démo. Le comité de pilotage s'est réuni **trois fois** ; le conseil de "
        "perfectionnement a validé le plan d'actions."
    ),
}


def load_demo_reports() -> Report:
    year = timezone.localdate().year - 1
    team = User.objects.filter(email=TEAM_EMAIL).first()
    report, _ = Report.objects.update_or_create(
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        defaults={"created_by": team, "is_demo": True},
    )
    for section, text in NARRATIVES.items():
        if not report.narratives.filter(section=section, text=text).exists():
            save_narrative(report, section, text, acting_user=team)
    return report
