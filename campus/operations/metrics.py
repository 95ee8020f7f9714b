"""Prometheus metrics: django-prometheus's request metrics and Campus's own gauges.

django-prometheus's two middlewares count requests and time them, in all and by
view (its Before middleware first in MIDDLEWARE, its After middleware last). The
gauges below are computed when Prometheus scrapes, from the database and the queue,
rather than kept up to date by counters spread over the code: they say what is true
now, whichever process or worker changed it.

With several gunicorn workers each process counts its own requests: set
PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied at each start) in the
environment of all of them and prometheus_client shares the counts through files
there; the scrape, served by any worker, then reads them all (docs/operators.md).
"""

import ipaddress
import logging
import os
from datetime import timedelta

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from campus.public_forms import client_ip
from campus.task_queue import queue_depth, queue_kind

logger = logging.getLogger(__name__)

# Headers a reverse proxy adds: through one, REMOTE_ADDR is the proxy's own address.
RELAY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-proto", "x-real-ip")


def metrics_allowed(request) -> bool:
    """The bearer of CAMPUS_METRICS_TOKEN when there is one; otherwise a client at
    one of CAMPUS_METRICS_ALLOWED_IPS (addresses or networks).

    A request relayed by a proxy whose header the site does not read
    (CAMPUS_CLIENT_IP_HEADER) is refused: its address would be the proxy's, often
    127.0.0.1, and every visitor would pass.
    """
    token = settings.CAMPUS_METRICS_TOKEN
    if token:
        given = request.headers.get("authorization", "")
        return constant_time_compare(given, f"Bearer {token}")
    if not settings.CAMPUS_CLIENT_IP_HEADER and any(
        header in request.headers for header in RELAY_HEADERS
    ):
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.CAMPUS_METRICS_ALLOWED_IPS
    )


def task_queue_metrics():
    backend = queue_kind()
    if backend is None:
        return
    gauge = GaugeMetricFamily(
        "campus_task_queue_ready",
        "Tasks ready to run, waiting for a worker.",
        labels=["backend"],
    )
    gauge.add_metric([backend], queue_depth())
    yield gauge


def import_run_metrics():
    from campus.opendata.models import ImportRun, ImportStatus

    gauge = GaugeMetricFamily(
        "campus_import_runs",
        "Open-data import runs: queued and running now; succeeded, failed or"
        " interrupted in the last 24 hours (a running import silent for"
        " CAMPUS_IMPORT_STALE_AFTER counts as interrupted).",
        labels=["status"],
    )
    counts = dict.fromkeys(ImportStatus.values, 0)
    counts[ImportStatus.QUEUED] = ImportRun.objects.filter(
        status=ImportStatus.QUEUED
    ).count()
    for run in ImportRun.objects.running().order_by("pk"):
        counts[run.shown_status] += 1
    finished = (
        ImportRun.objects.filter(
            status__in=[
                ImportStatus.SUCCEEDED,
                ImportStatus.FAILED,
                ImportStatus.INTERRUPTED,
            ],
            finished_at__gte=timezone.now() - timedelta(hours=24),
        )
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    for row in finished:
        counts[row["status"]] += row["count"]
    for status, count in counts.items():
        gauge.add_metric([status], count)
    yield gauge


def newsletter_metrics():
    from campus.newsletter.models import (
        Delivery,
        DeliveryStatus,
        IssueStatus,
        NewsletterIssue,
    )

    issues = GaugeMetricFamily(
        "campus_newsletter_sendings",
        "Newsletter issues being sent, and those whose sending went silent.",
        labels=["status"],
    )
    counts = {"sending": 0, "interrupted": 0}
    for issue in NewsletterIssue.objects.filter(status=IssueStatus.SENDING).order_by(
        "pk"
    ):
        counts["interrupted" if issue.seems_interrupted else "sending"] += 1
    for status, count in counts.items():
        issues.add_metric([status], count)
    yield issues
    yield GaugeMetricFamily(
        "campus_newsletter_deliveries_pending",
        "Messages of the issues being sent that are still to send.",
        value=Delivery.objects.filter(
            status=DeliveryStatus.PENDING, issue__status=IssueStatus.SENDING
        ).count(),
    )


class CampusCollector:
    """Campus's gauges, read at each scrape. A source that does not answer leaves
    its gauges out of this scrape (/sante/ says which) rather than failing it."""

    sources = (task_queue_metrics, import_run_metrics, newsletter_metrics)

    def collect(self):
        for source in self.sources:
            try:
                yield from list(source())
            except (DatabaseError, redis.RedisError):
                logger.warning("Metrics of %s unavailable", source.__name__)


def render_metrics() -> tuple[bytes, str]:
    """The text Prometheus scrapes, and its content type."""
    registry = CollectorRegistry()
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(CampusCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
