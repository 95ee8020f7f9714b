"""E-mails leave through the task queue, so a slow mail server never slows a page."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_campus_email(subject: str, body: str, recipients: list[str]) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
