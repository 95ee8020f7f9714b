"""E-mails leave through the task queue, so a slow mail server never slows a page.

Each e-mail is a pair of templates, `<app>/email/<name>_subject.txt` and
`<name>_body.txt`, rendered as plain text: they are never HTML-escaped. Links
start with `{{ site_url }}`, the campus's public address.

Attachments travel through the task queue too: its arguments are stored as JSON,
so each file's bytes are base64-encoded when queued and decoded when sent.
"""

import base64
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django_tasks import task

# (file name, content, MIME type), e.g. ("copie.pdf", b"%PDF-…", "application/pdf").
Attachment = tuple[str, bytes, str]


@task()
def send_campus_email(
    subject: str,
    body: str,
    recipients: list[str],
    attachments: list[dict] | None = None,
) -> int:
    """Sends one e-mail; `attachments` are `encode_attachments()`'s JSON form."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    for attachment in attachments or []:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message.send()


def encode_attachments(attachments: Iterable[Attachment]) -> list[dict]:
    return [
        {
            "filename": filename,
            "content": base64.b64encode(content).decode("ascii"),
            "mimetype": mimetype,
        }
        for filename, content, mimetype in attachments
    ]


def _render_text(template_name: str, context: dict) -> str:
    template = get_template(template_name).template
    context = {"site_url": settings.CAMPUS_SITE_URL, **context}
    return template.render(Context(context, autoescape=False))


def render_email(template_name: str, context: dict) -> tuple[str, str]:
    """The subject, on one line, and the body of the e-mail `template_name`."""
    subject = _render_text(f"{template_name}_subject.txt", context)
    # A line break in a subject, from the template or from a value, would let a
    # value add mail headers; Django would refuse to send it anyway.
    subject = " ".join(filter(None, (line.strip() for line in subject.splitlines())))
    return subject, _render_text(f"{template_name}_body.txt", context)


def send_templated_email(
    template_name: str,
    context: dict,
    recipients: Iterable[str],
    *,
    attachments: Iterable[Attachment] = (),
) -> None:
    """Renders the e-mail now and queues it once the current transaction commits.

    Rendering inside the caller's transaction means a broken template undoes the
    action instead of failing after it was saved.
    """
    recipients = list(recipients)
    if not recipients:
        return
    subject, body = render_email(template_name, context)
    extra = {}
    if attachments:
        extra["attachments"] = encode_attachments(attachments)
    transaction.on_commit(
        lambda: send_campus_email.enqueue(
            subject=subject, body=body, recipients=recipients, **extra
        )
    )
