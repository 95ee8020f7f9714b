"""Workflows of the newsletter: subscribing with double opt-in, then sending an issue.

Sending is at most once per subscriber. Each delivery is claimed (pending →
sending) by one conditional UPDATE before its message goes to the SMTP server,
and marked sent right after. A worker that dies leaves at most the message it was
handing over « sending »: the run that resumes the issue marks those failed
(« peut-être reçu ») and never sends them again, and skips every sent one. The
other choice, at least once, would send those again: a subscriber would then
receive the issue twice, which the campus ranks worse than one person missing
one issue (their status says so on the issue's page).
"""

import logging
import smtplib
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from campus.newsletter.emails import (
    build_message,
    issue_context,
    issue_message,
)
from campus.newsletter.models import (
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    SubscriberTopic,
    Topic,
    new_token,
)
from campus.rules import RuleError
from campus.task_queue import fail_running

logger = logging.getLogger(__name__)

UNCERTAIN = (
    "Envoi interrompu pendant la remise au serveur de messagerie : peut-être "
    "reçu, donc pas renvoyé (une lettre part au plus une fois)."
)


LINK_USED = "Ce lien a déjà servi : votre abonnement est confirmé, rien n'a changé."
LINK_EXPIRED = (
    "Ce lien de confirmation a expiré ou n'est plus valable : rien n'a changé. "
    "Inscrivez-vous de nouveau pour recevoir un nouveau lien."
)


class LinkRefused(RuleError):
    """An expired or used confirmation link."""

    status_code = 400
    title = "Lien expiré ou déjà utilisé"


class SendingRefused(RuleError):
    """An issue that cannot be sent, or sent again."""

    title = "Envoi impossible"


# --- Subscribers ----------------------------------------------------------------


def _queue_message(message_builder) -> None:
    """Renders the message now (a broken template undoes the action) and queues it."""
    # tasks.py imports this module for the sending's body.
    from campus.newsletter.tasks import send_message

    message = message_builder()
    payload = {
        "subject": message.subject,
        "text": message.body,
        "html": message.alternatives[0][0],
        "to": message.to[0],
        "headers": message.extra_headers,
    }
    transaction.on_commit(partial(send_message.enqueue, **payload))


def _set_topics(subscriber: Subscriber, topics) -> None:
    topics = [code for code in Topic.values if code in set(topics)]
    subscriber.topics.exclude(topic__in=topics).delete()
    existing = set(subscriber.topics.values_list("topic", flat=True))
    SubscriberTopic.objects.bulk_create(
        SubscriberTopic(subscriber=subscriber, topic=code)
        for code in topics
        if code not in existing
    )


def subscribe(email: str, *, topics) -> None:
    """Asks `email` to confirm its subscription, whatever the address's state.

    The visitor always gets the same answer, so the form never tells whether an
    address is known. A new or unsubscribed address receives a confirmation link;
    a pending one a fresh link (its topics are replaced); an active one a message
    with its preference link, and its topics stay as they were: whoever typed the
    address may not be its owner.
    """
    email = email.strip()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE:
            _queue_message(
                lambda: build_message(
                    "newsletter/email/already_subscribed",
                    {},
                    to=subscriber.email,
                    subscriber=subscriber,
                )
            )
            return
        try:
            with transaction.atomic():
                if subscriber is None:
                    subscriber = Subscriber(email=email)
                subscriber.status = SubscriberStatus.PENDING
                subscriber.confirmation_token = new_token()
                subscriber.confirmation_sent_at = timezone.now()
                subscriber.confirmed_at = subscriber.unsubscribed_at = None
                subscriber.save()
        except IntegrityError:
            # The same address typed twice at the same moment: the first wins,
            # and it has sent the confirmation link.
            return
        _set_topics(subscriber, topics)
        _queue_message(
            lambda: build_message(
                "newsletter/email/confirmation",
                {
                    "confirmation_url": settings.CAMPUS_SITE_URL
                    + subscriber.get_confirmation_url(),
                    "confirmation_days": settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS,
                },
                to=subscriber.email,
                subscriber=subscriber,
            )
        )


def confirm_subscription(subscriber: Subscriber) -> Subscriber:
    """The owner of the address has consented: the subscription starts now."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == SubscriberStatus.ACTIVE:
            raise LinkRefused(LINK_USED)
        if not subscriber.confirmation_is_open:
            raise LinkRefused(LINK_EXPIRED)
        subscriber.status = SubscriberStatus.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


def update_topics(subscriber: Subscriber, *, topics) -> None:
    with transaction.atomic():
        _set_topics(subscriber, topics)


def unsubscribe(subscriber: Subscriber) -> Subscriber:
    """Stops every message to the address; doing it twice changes nothing."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
            subscriber.status = SubscriberStatus.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def export_subscriber(subscriber: Subscriber) -> dict:
    """What the campus keeps about a subscriber (RGPD articles 15 and 20)."""

    def moment(value):
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "etat": subscriber.get_status_display(),
        "themes": subscriber.topic_labels,
        "inscrit_le": moment(subscriber.created_at),
        "lien_de_confirmation_envoye_le": moment(subscriber.confirmation_sent_at),
        "consentement_donne_le": moment(subscriber.confirmed_at),
        "desabonne_le": moment(subscriber.unsubscribed_at),
        "lettres_recues": [
            {"objet": delivery.issue.subject, "envoyee_le": moment(delivery.sent_at)}
            for delivery in subscriber.deliveries.filter(status=DeliveryStatus.SENT)
            .select_related("issue")
            .order_by("sent_at", "pk")
        ],
    }


def delete_subscriber(subscriber: Subscriber) -> None:
    """Erases the address, its topics and the record of what it received."""
    subscriber.delete()


def purge_subscribers(*, now=None) -> dict[str, int]:
    """Deletes unconfirmed addresses whose link expired, and old unsubscriptions."""
    now = now or timezone.now()
    confirmation = timedelta(days=settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS)
    retention = timedelta(days=settings.CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS)
    _, unconfirmed = Subscriber.objects.filter(
        status=SubscriberStatus.PENDING, confirmation_sent_at__lt=now - confirmation
    ).delete()
    _, unsubscribed = Subscriber.objects.filter(
        status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at__lt=now - retention
    ).delete()
    # delete() also counts the topics and deliveries that went with them.
    label = Subscriber._meta.label
    return {
        "unconfirmed": unconfirmed.get(label, 0),
        "unsubscribed": unsubscribed.get(label, 0),
    }


def subscribers_summary() -> dict:
    counts = dict(
        Subscriber.objects.values_list("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    by_topic = dict(
        SubscriberTopic.objects.filter(subscriber__status=SubscriberStatus.ACTIVE)
        .values_list("topic")
        .annotate(count=Count("pk"))
        .order_by("topic")
    )
    return {
        "by_status": [
            (label, counts.get(value, 0)) for value, label in SubscriberStatus.choices
        ],
        "by_topic": [(label, by_topic.get(value, 0)) for value, label in Topic.choices],
    }


# --- Issues -------------------------------------------------------------------


def send_test_issue(issue: NewsletterIssue, *, acting_user) -> None:
    """Queues the issue to the team member alone, marked « [Essai] »."""
    _queue_message(
        lambda: build_message(
            "newsletter/email/issue",
            issue_context(issue),
            to=acting_user.email,
            subscriber=None,
            subject_prefix="[Essai] ",
        )
    )


def start_sending(issue: NewsletterIssue, *, acting_user) -> NewsletterIssue:
    """Queues the sending of a draft; an issue leaves once, whatever the clicks."""
    from campus.newsletter.tasks import send_issue  # tasks.py imports this module

    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueStatus.DRAFT:
            raise SendingRefused(
                "Cette lettre est déjà envoyée ou en cours d'envoi : une lettre ne "
                "part qu'une fois. Pour écrire de nouveau aux abonnés, composez une "
                "nouvelle lettre."
            )
        if not issue.topics:
            raise SendingRefused(
                "Choisissez au moins un thème : la lettre part aux abonnés de ses "
                "thèmes."
            )
        now = timezone.now()
        issue.status = IssueStatus.SENDING
        issue.sent_by = acting_user
        issue.sending_started_at = issue.heartbeat_at = now
        issue.save(
            update_fields=["status", "sent_by", "sending_started_at", "heartbeat_at"]
        )
        transaction.on_commit(partial(send_issue.enqueue, issue.pk))
    return issue


def resume_sending(issue: NewsletterIssue) -> NewsletterIssue:
    """Queues again an interrupted sending; it skips what was already sent."""
    from campus.newsletter.tasks import send_issue  # tasks.py imports this module

    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if not issue.seems_interrupted:
            raise SendingRefused(
                "Cet envoi n'est pas interrompu : il suit son cours ou il est "
                "terminé. Rien n'est relancé."
            )
        issue.heartbeat_at = timezone.now()
        issue.save(update_fields=["heartbeat_at"])
        # The dead worker's task would stay « running » in the queue forever.
        fail_running(
            send_issue, [issue.pk], RuntimeError("envoi interrompu, puis repris")
        )
        transaction.on_commit(partial(send_issue.enqueue, issue.pk))
    return issue


def delivery_counts(issue: NewsletterIssue) -> dict[str, int]:
    counts = issue.deliveries.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        cancelled=Count("pk", filter=Q(status=DeliveryStatus.CANCELLED)),
    )
    counts["done"] = counts["sent"] + counts["failed"] + counts["cancelled"]
    counts["percent"] = (
        round(100 * counts["done"] / counts["total"]) if counts["total"] else 0
    )
    return counts


def _heartbeat(issue: NewsletterIssue) -> None:
    NewsletterIssue.objects.filter(pk=issue.pk).update(heartbeat_at=timezone.now())


class _Heartbeat:
    """Writes the issue's heartbeat at most every `interval` seconds while sending."""

    def __init__(self, issue: NewsletterIssue, interval: float = 5.0):
        self.issue, self.interval = issue, interval
        self.last = time.monotonic()

    def beat(self) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            _heartbeat(self.issue)
            self.last = now


def _create_deliveries(issue: NewsletterIssue) -> None:
    """One delivery per active subscriber of the issue's topics, once: a resumed
    run adds only those who confirmed in between."""
    Delivery.objects.bulk_create(
        [
            Delivery(issue=issue, subscriber_id=pk)
            for pk in Subscriber.objects.for_topics(issue.topics)
            .order_by("pk")
            .values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def _claim(delivery_id: int) -> bool:
    """Takes the delivery for this worker; False if another one has it or had it."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=timezone.now()
        )
    )


def _finish(delivery_id: int, *, error: str = "") -> None:
    """Records the outcome of a claimed delivery, even if meanwhile marked uncertain."""
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.FAILED if error else DeliveryStatus.SENT,
        sent_at=None if error else timezone.now(),
        error=error[:500],
        attempts=1,
    )


class _Pace:
    """Keeps the sending under `rate` messages per second (0: no pause)."""

    def __init__(self, rate: float):
        self.interval = 1 / rate if rate > 0 else 0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def deliver_issue(issue_id: int) -> NewsletterIssue:
    """Sends a sending issue to its recipients, in batches; the task's body.

    Safe to run again at any point: it skips sent deliveries and gives up the
    uncertain ones (module docstring).
    """
    issue = NewsletterIssue.objects.get(pk=issue_id)
    if issue.status != IssueStatus.SENDING:
        return issue
    _heartbeat(issue)
    _create_deliveries(issue)
    issue.deliveries.filter(status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, error=UNCERTAIN, attempts=1
    )
    context = issue_context(issue)
    pace = _Pace(settings.CAMPUS_NEWSLETTER_RATE_PER_SECOND)
    heartbeat = _Heartbeat(issue)
    try:
        while True:
            batch = list(
                issue.deliveries.filter(status=DeliveryStatus.PENDING)
                .select_related("subscriber")
                .order_by("pk")[: settings.CAMPUS_NEWSLETTER_BATCH_SIZE]
            )
            if not batch:
                break
            _send_batch(batch, context, pace, heartbeat)
    except Exception:
        # The mail server is down or the connection broke: without a heartbeat
        # the issue's page offers to resume at once, instead of after the delay.
        NewsletterIssue.objects.filter(pk=issue.pk).update(heartbeat_at=None)
        raise
    counts = delivery_counts(issue)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status=IssueStatus.SENT,
        sent_at=timezone.now(),
        heartbeat_at=timezone.now(),
        recipient_count=counts["total"],
        sent_count=counts["sent"],
        failed_count=counts["failed"],
    )
    issue.refresh_from_db()
    logger.info("Newsletter issue %s sent: %s", issue.pk, counts)
    return issue


def _send_batch(
    batch: list[Delivery], context: dict, pace: _Pace, heartbeat: _Heartbeat
) -> None:
    """One SMTP connection for the batch; each message claimed, sent, recorded."""
    with get_connection() as connection:
        for delivery in batch:
            if delivery.subscriber.status != SubscriberStatus.ACTIVE:
                Delivery.objects.filter(
                    pk=delivery.pk, status=DeliveryStatus.PENDING
                ).update(status=DeliveryStatus.CANCELLED)
                continue
            if not _claim(delivery.pk):
                continue
            pace.wait()
            message = issue_message(heartbeat.issue, delivery.subscriber, context)
            message.connection = connection
            try:
                message.send()
            except (
                smtplib.SMTPRecipientsRefused,
                smtplib.SMTPResponseException,
            ) as error:
                # The server answered and refused this message alone.
                logger.warning("Newsletter delivery %s refused: %s", delivery.pk, error)
                _finish(delivery.pk, error=f"refusé par le serveur : {error}")
            except Exception:
                # The connection broke: whether the server kept the message is
                # unknown. The task fails, the issue's heartbeat stops, and the
                # team resumes it (the rest is sent once, by the next run).
                _finish(delivery.pk, error=UNCERTAIN)
                raise
            else:
                _finish(delivery.pk)
            heartbeat.beat()
