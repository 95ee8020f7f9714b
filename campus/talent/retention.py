"""How long applications are kept, and their erasure (RGPD article 5-1-e).

An application, its answers and the files it uploaded are kept
`APPLICATION_RETENTION_DAYS` (three years) after its call closes: long enough
for the call's funding to be audited, and the same term for everyone whatever
the outcome. `purge_expired_applications()` then erases them; the daily
`purge_personal_data` command runs it.

One exception, chosen so the public list of laureates stays true: a laureate
(decision « Retenue » and consent to be named) keeps the row of its application
with only what that list shows — the call, the project's title, the applicant
and organisation named with their consent, the decision. Its answers, their
files and the reason of the decision are erased like everyone else's. A
laureate leaves the list when their account is deleted (CASCADE) or when the
team withdraws the consent.

Files are removed from storage once the transaction has committed, so an
erasure that fails leaves files and rows together.
"""

from datetime import datetime, timedelta

from django.db import transaction

from campus.talent.models import (
    APPLICATION_RETENTION_DAYS,
    Answer,
    Application,
    ProjectReport,
)


def _delete_files_on_commit(rows) -> int:
    """Deletes the `file` of these rows (answers, project reports) after commit."""
    files = [
        (row.file.storage, row.file.name) for row in rows.exclude(file="").only("file")
    ]

    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)
    return len(files)


def erase_applications(applications) -> dict[str, int]:
    """Deletes these applications, their answers, the follow-up of a supported
    project, and their files."""
    with transaction.atomic():
        files = _delete_files_on_commit(
            Answer.objects.filter(application__in=applications)
        ) + _delete_files_on_commit(
            ProjectReport.objects.filter(project__application__in=applications)
        )
        _, deleted = Application.objects.filter(
            pk__in=list(applications.values_list("pk", flat=True))
        ).delete()
    return {
        "applications": deleted.get(Application._meta.label, 0),
        "files": files,
    }


def purge_expired_applications(now: datetime) -> dict[str, int]:
    """Erases the applications of calls closed more than the retention period ago;
    laureates keep the row the public list needs, without answers or files."""
    closed_before = now - timedelta(days=APPLICATION_RETENTION_DAYS)
    expired = Application.objects.filter(call__closes_at__lt=closed_before)
    laureates = expired.laureates()
    with transaction.atomic():
        erased = erase_applications(expired.exclude(pk__in=laureates.values("pk")))
        laureate_answers = Answer.objects.filter(application__in=laureates)
        files = _delete_files_on_commit(laureate_answers)
        laureate_answers.delete()
        stripped = laureates.exclude(decision_reason="").update(decision_reason="")
    return {
        "applications": erased["applications"],
        "files": erased["files"] + files,
        "laureates_stripped": stripped,
    }
