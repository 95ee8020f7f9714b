import pytest
from django_tasks_db.models import DBTaskResult

from campus.operations.tests.tasks import wait
from campus.task_queue import queue_depth, queue_kind

pytestmark = pytest.mark.django_db


def test_the_database_queue_counts_the_tasks_ready_to_run(settings):
    """With django-tasks-db, the depth is the number of tasks waiting for a worker."""
    assert queue_kind() == "database"
    assert queue_depth() == 0
    wait.enqueue()
    wait.enqueue()
    taken = wait.enqueue()
    DBTaskResult.objects.filter(pk=taken.id).update(status="RUNNING")
    assert queue_depth() == 2


def test_the_redis_queue_counts_the_jobs_of_its_rq_queues(redis_queue):
    """With django-tasks-rq, the depth is the length of the RQ queues on Redis."""
    assert queue_kind() == "redis"
    assert queue_depth() == 0
    queued = wait.using(queue_name=redis_queue.name)
    queued.enqueue()
    queued.enqueue()
    assert queue_depth() == 2 == redis_queue.count


def test_a_backend_without_a_queue_has_no_depth(settings):
    """The immediate backend runs tasks at once: there is no queue to measure."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    assert queue_kind() is None
    assert queue_depth() is None
