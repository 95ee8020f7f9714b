import django_rq
import pytest

# This helper's own Redis database on the machine's server (never another's).
REDIS_URL = "redis://127.0.0.1:6379/7"
# A port nothing listens on: a Redis server that does not answer.
CLOSED_REDIS_URL = "redis://127.0.0.1:9/0"


@pytest.fixture
def redis_queue(settings):
    """The Redis task queue (django-tasks-rq) on the machine's Redis, left empty."""
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()
