"""What the calls add to other pages: the back-office card « Appels et concours »."""

from campus import contributions
from campus.contributions import BackOfficeCard
from campus.talent.models import ApplicationStatus, Call


def _calls_summary() -> str:
    calls = Call.objects.count()
    submitted = Call.objects.filter(
        applications__status=ApplicationStatus.SUBMITTED
    ).count()
    return (
        "Appels à projets, concours et résidences : textes, questions, documents "
        f"et candidatures ; {calls} appel{'s' if calls > 1 else ''}, "
        f"{submitted} candidature{'s' if submitted > 1 else ''} "
        f"déposée{'s' if submitted > 1 else ''}."
    )


contributions.back_office.register(
    BackOfficeCard(
        title="Appels et concours",
        description=_calls_summary,
        link_label="Gérer les appels",
        url_name="talent:team_calls",
    )
)
