"""Demo observatory: a few past interventions, then the aggregates of the demo data.

The interventions are typed for the demo (schools named « de démonstration »),
spread over two school years and two départements so that the awareness figures
have a line to draw; the training figures come from the demo catalogue.
"""

from datetime import date, timedelta

from django.utils import timezone

from campus.observatory.aggregates import refresh_observatory, school_year
from campus.outreach.models import ClassLevel, InterventionRequest, RequestStatus

# (school, town, class level, pupils, school years before this one, month, day)
INTERVENTIONS = [
    (
        "Collège de démonstration Buffon",
        "Montbard",
        ClassLevel.QUATRIEME,
        24,
        1,
        11,
        14,
    ),
    (
        "Collège de démonstration Buffon",
        "Montbard",
        ClassLevel.TROISIEME,
        27,
        1,
        11,
        14,
    ),
    ("Lycée de démonstration Pergaud", "Besançon", ClassLevel.SECONDE, 30, 1, 3, 6),
    ("Collège de démonstration Rameau", "Dijon", ClassLevel.TROISIEME, 22, 0, 10, 9),
    ("SEGPA de démonstration Diderot", "Besançon", ClassLevel.SEGPA, 12, 0, 10, 16),
]


def load_demo_observatory() -> None:
    this_year = school_year(timezone.localdate())
    for school, town, level, pupils, years_before, month, day in INTERVENTIONS:
        start = this_year - years_before
        held_on = date(start if month >= 9 else start + 1, month, day)
        # A date of this school year still to come is moved to last month.
        held_on = min(held_on, timezone.localdate() - timedelta(days=30))
        InterventionRequest.objects.update_or_create(
            school_name=school,
            class_level=level,
            defaults={
                "school_town": town,
                "teacher_name": "Enseignant (démo)",
                "teacher_email": "enseignant@demo.example",
                "pupil_count": pupils,
                "preferred_dates": "Au choix (démo)",
                "status": RequestStatus.DONE,
                "confirmed_at": timezone.now(),
                "held_on": held_on,
                "pupils_reached": pupils,
                "outcome": "Présentation des métiers de la filière (démo).",
            },
        )
    refresh_observatory()
