import django_rq
import pytest
from django.urls import get_resolver

# This helper's own Redis database on the machine's server (never another's).
REDIS_URL = "redis://127.0.0.1:6379/7"
# A port nothing listens on: a Redis server that does not answer.
CLOSED_REDIS_URL = "redis://127.0.0.1:9/0"


@pytest.fixture
def redis_queue(settings, worker_id):
    """The Redis task queue (django-tasks-rq) on the machine's Redis, left empty;
    one queue per pytest-xdist worker, so that parallel tests do not share it."""
    name = f"campus-tests-{worker_id}"
    # Each @task checks its queue against the backend when its module is imported:
    # the views import them all, under the suite's backend, before it is replaced.
    get_resolver().resolve("/")
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}
    }
    queue = django_rq.get_queue(name)
    queue.empty()
    yield queue
    queue.empty()
