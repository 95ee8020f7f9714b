import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from campus import page_cache
from campus.newsletter.models import Delivery, DeliveryStatus, IssueStatus
from campus.newsletter.tests.factories import IssueFactory, SubscriberFactory
from campus.opendata.models import ImportRun, ImportStatus
from campus.operations.tests.conftest import CLOSED_REDIS_URL
from campus.operations.tests.tasks import wait

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.7"


def scrape(client, **extra) -> dict[str, dict[tuple, float]]:
    """The scraped samples: name -> {labels: value}."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[
                tuple(sorted(sample.labels.items()))
            ] = sample.value
    return samples


def test_requests_are_counted_and_timed_by_view(client):
    """django-prometheus's metrics: requests by view and their latency."""
    client.get("/mentions-legales/")
    samples = scrape(client)
    view_count = samples["django_http_requests_latency_seconds_by_view_method_count"]
    assert view_count[(("method", "GET"), ("view", "profiles:legal_notice"))] >= 1
    assert samples["django_http_requests_before_middlewares_total"][()] >= 1


def test_the_task_queue_depth(client):
    """The tasks waiting for a worker, from queue_depth()."""
    wait.enqueue()
    wait.enqueue()
    samples = scrape(client)
    assert samples["campus_task_queue_ready"] == {(("backend", "database"),): 2}


def make_run(status, **fields):
    return ImportRun.objects.create(
        source="communes",
        file_name="communes.csv",
        licence="Licence Ouverte 2.0",
        attribution="data.gouv.fr",
        status=status,
        **fields,
    )


def test_import_runs_now_and_in_the_last_day(client):
    """Queued and running now; finished in the last 24 hours; silent ones interrupted."""
    now = timezone.now()
    make_run(ImportStatus.QUEUED)
    make_run(ImportStatus.RUNNING, started_at=now)
    make_run(ImportStatus.RUNNING, started_at=now - timedelta(hours=2))
    make_run(ImportStatus.FAILED, finished_at=now - timedelta(hours=1))
    make_run(ImportStatus.SUCCEEDED, finished_at=now - timedelta(hours=3))
    make_run(ImportStatus.SUCCEEDED, finished_at=now - timedelta(days=2))
    make_run(ImportStatus.INTERRUPTED, finished_at=now - timedelta(hours=5))
    samples = scrape(client)
    assert samples["campus_import_runs"] == {
        (("status", "queued"),): 1,
        (("status", "running"),): 1,
        (("status", "succeeded"),): 1,
        (("status", "failed"),): 1,
        (("status", "interrupted"),): 2,
    }


def test_newsletter_sendings_and_their_backlog(client):
    """Issues being sent, silent ones apart, and the messages still to send."""
    now = timezone.now()
    sending = IssueFactory(status=IssueStatus.SENDING, heartbeat_at=now)
    IssueFactory(status=IssueStatus.SENDING, heartbeat_at=now - timedelta(hours=1))
    IssueFactory(status=IssueStatus.SENT)
    for status in (DeliveryStatus.PENDING, DeliveryStatus.PENDING, DeliveryStatus.SENT):
        Delivery.objects.create(
            issue=sending, subscriber=SubscriberFactory(), status=status
        )
    samples = scrape(client)
    assert samples["campus_newsletter_sendings"] == {
        (("status", "sending"),): 1,
        (("status", "interrupted"),): 1,
    }
    assert samples["campus_newsletter_deliveries_pending"] == {(): 2}


def test_the_gauges_of_a_queue_that_does_not_answer_are_left_out(
    client, settings, redis_queue
):
    """Redis down: the scrape still answers, without the queue's gauge."""
    settings.RQ_QUEUES = {redis_queue.name: {"URL": CLOSED_REDIS_URL}}
    samples = scrape(client)
    assert "campus_task_queue_ready" not in samples
    assert "campus_import_runs" in samples


def test_the_redis_queue_depth(client, redis_queue):
    """With the Redis queue, the depth is that of its RQ queues."""
    wait.using(queue_name=redis_queue.name).enqueue()
    assert scrape(client)["campus_task_queue_ready"] == {(("backend", "redis"),): 1}


def test_an_outside_address_is_told_there_is_no_such_page(client):
    """Only the allowed addresses (this machine by default) read the metrics."""
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE).status_code == 404


def test_allowed_networks(client, settings):
    """CAMPUS_METRICS_ALLOWED_IPS takes networks: Prometheus on the private network."""
    settings.CAMPUS_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_a_request_relayed_by_an_unknown_proxy_is_refused(client, settings):
    """Through a local proxy every visitor comes from 127.0.0.1: not enough."""
    relayed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": OUTSIDE}
    assert client.get("/metrics", **relayed).status_code == 404
    settings.CAMPUS_CLIENT_IP_HEADER = "X-Real-IP"
    assert client.get("/metrics", HTTP_X_REAL_IP=OUTSIDE, **relayed).status_code == 404
    assert (
        client.get("/metrics", HTTP_X_REAL_IP="127.0.0.1", **relayed).status_code == 200
    )


def test_with_a_token_only_its_bearer_reads(client, settings):
    """CAMPUS_METRICS_TOKEN set: the token is needed, from any address."""
    settings.CAMPUS_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert (
        client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code
        == 404
    )
    bearer = {"authorization": "Bearer s3cret-token"}
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, headers=bearer)
    assert response.status_code == 200


WORKER = """
import django
django.setup()
from django_prometheus.middleware import Metrics
Metrics.get_instance().requests_total.inc({count})
"""


def test_metrics_of_all_processes_in_multiprocess_mode(client, monkeypatch, tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR, whichever worker answers the scrape adds up
    the counts of all of them, and adds Campus's gauges."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    for count in (2, 3):
        subprocess.run(
            [sys.executable, "-c", WORKER.format(count=count)],
            check=True,
            env=os.environ
            | {"DJANGO_SETTINGS_MODULE": "campus.settings", "CAMPUS_TESTING": "1"},
            cwd=settings.BASE_DIR,
        )
    samples = scrape(client)
    assert samples["django_http_requests_before_middlewares_total"] == {(): 5}
    assert "campus_import_runs" in samples


def test_never_kept_by_a_cache(client):
    response = client.get("/metrics")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_pages_served_from_the_page_cache_are_counted_before_the_view(
    client, settings, django_assert_num_queries
):
    """A page campus.page_cache answers is counted in all, not by view: the page
    cache still serves it (the metrics middlewares leave it alone)."""
    settings.CAMPUS_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    page_cache.bump(connection)
    view = (("method", "GET"), ("view", "profiles:legal_notice"))
    by_view = "django_http_requests_latency_seconds_by_view_method_count"
    total = "django_http_requests_before_middlewares_total"
    before = scrape(client)
    first = client.get("/mentions-legales/")
    with django_assert_num_queries(1):
        second = client.get("/mentions-legales/")
    assert second.content == first.content
    after = scrape(client)
    assert after[by_view][view] - before.get(by_view, {}).get(view, 0) == 1
    # The two pages and the first scrape.
    assert after[total][()] - before[total][()] == 3
