"""The newsletter's messages: an HTML part and a plain-text part, with list headers.

Each message is three templates under `newsletter/email/`: `<name>_subject.txt`,
`<name>_body.txt` (plain text, never escaped: campus.mail.render_email) and
`<name>_body.html`. The HTML holds real text and links straight to the site:
no image, no tracking pixel, no redirect that counts clicks.

Every message to a subscriber carries their preference and unsubscription links
in its body, and the headers of RFC 2369 and RFC 8058 so that mail clients offer
a one-click « Se désabonner » button: `List-Unsubscribe` (the web link first,
then a mailbox) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from campus.mail import render_email
from campus.newsletter.models import NewsletterIssue, Subscriber
from campus.profiles.models import CampusProfile
from campus.richtext import render_markdown


def absolute(path: str) -> str:
    return f"{settings.CAMPUS_SITE_URL}{path}"


def absolute_links(html: SafeString) -> SafeString:
    """The site's own links (« /agenda/ ») made absolute: a mail client has no site."""
    return mark_safe(  # noqa: S308 - only adds the site's address to sanitised HTML
        html.replace('href="/', f'href="{settings.CAMPUS_SITE_URL}/')
    )


def list_headers(subscriber: Subscriber, campus: CampusProfile) -> dict[str, str]:
    name = campus.short_name or campus.name or "Campus"
    mailto = settings.CAMPUS_NEWSLETTER_UNSUBSCRIBE_MAILTO
    return {
        "List-Id": f"Lettre du {name} <lettre.{settings.CAMPUS_SITE_DOMAIN}>",
        "List-Unsubscribe": (
            f"<{absolute(subscriber.get_unsubscribe_url())}>, "
            f"<mailto:{mailto}?subject=desabonnement>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscriber_context(subscriber: Subscriber | None) -> dict:
    if subscriber is None:
        return {"subscriber": None}
    return {
        "subscriber": subscriber,
        "preferences_url": absolute(subscriber.get_preferences_url()),
        "unsubscribe_url": absolute(subscriber.get_unsubscribe_url()),
    }


def build_message(
    template_name: str,
    context: dict,
    *,
    to: str,
    subscriber: Subscriber | None,
    subject_prefix: str = "",
) -> EmailMultiAlternatives:
    """The message `template_name` to `to`, with the list headers of `subscriber`."""
    context = {
        "site_url": settings.CAMPUS_SITE_URL,
        **subscriber_context(subscriber),
        **context,
    }
    context.setdefault("campus", CampusProfile.load())
    subject, text = render_email(template_name, context)
    html = render_to_string(f"{template_name}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject_prefix + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=list_headers(subscriber, context["campus"]) if subscriber else {},
    )
    message.attach_alternative(html, "text/html")
    return message


def issue_context(issue: NewsletterIssue) -> dict:
    return {
        "campus": CampusProfile.load(),
        "issue": issue,
        "intro_html": absolute_links(render_markdown(issue.intro)),
        "articles": [
            (article, absolute(article.get_absolute_url()))
            for article in issue.shown_articles().order_by("-published_at", "pk")
        ],
        "events": [
            (event, absolute(event.get_absolute_url()))
            for event in issue.shown_events()
        ],
    }


def issue_message(
    issue: NewsletterIssue, subscriber: Subscriber, context: dict | None = None
) -> EmailMultiAlternatives:
    """The issue as one subscriber receives it; `context` is issue_context(issue),
    computed once per batch."""
    return build_message(
        "newsletter/email/issue",
        context or issue_context(issue),
        to=subscriber.email,
        subscriber=subscriber,
    )
