"""Report versions are produced in the task worker: a PDF takes seconds."""

from django_tasks import task

from campus.reports.models import ReportVersion
from campus.reports.services import generate_version


@task()
def generate_version_task(version_id: int) -> str:
    version = ReportVersion.objects.select_related("report", "requested_by").get(
        pk=version_id
    )
    return generate_version(version).status
