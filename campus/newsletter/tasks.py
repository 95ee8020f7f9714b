"""The newsletter's background work, run by the task worker (`manage.py task_worker`)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from campus.newsletter import services


@task()
def send_message(
    subject: str, text: str, html: str, to: str, headers: dict[str, str]
) -> int:
    """One message rendered beforehand: a confirmation, a reminder, a test."""
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message.send()


@task()
def send_issue(issue_id: int) -> str:
    """Sends an issue to its subscribers; run again, it resumes where it stopped."""
    return services.deliver_issue(issue_id).status
