"""The task queue in tests, on the database or on Redis (CAMPUS_TASKS_BACKEND=redis).

The tests that run tasks (marked `tasks`) run with a real worker in the test's own
process and database transaction: django-tasks' db_worker, or an RQ worker that
does not fork (SimpleWorker). Each xdist process gets its own Redis database,
emptied before each test: CAMPUS_REDIS_URL's number for the first, the next one
for the second, and so on.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import django_rq
import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry
from rq.worker import SimpleWorker

from campus.task_queue import REDIS, queue_kind


def on_redis() -> bool:
    return queue_kind() == REDIS


def redis_url_of_this_process(url: str) -> str:
    """CAMPUS_REDIS_URL with its database number moved on by the xdist worker's rank."""
    parts = urlsplit(url)
    rank = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    number = int(parts.path.strip("/") or 0) + rank
    return urlunsplit(parts._replace(path=f"/{number}"))


def task_results() -> list:
    """Every task the queue knows, waiting, running or done, oldest first."""
    if not on_redis():
        return [
            result.task_result
            for result in DBTaskResult.objects.order_by("enqueued_at")
        ]
    queue = django_rq.get_queue("default", job_class=Job)
    job_ids = queue.get_job_ids() + [
        job_id
        for registry in (StartedJobRegistry, FinishedJobRegistry, FailedJobRegistry)
        for job_id in registry(queue=queue).get_job_ids(cleanup=False)
    ]
    jobs = Job.fetch_many(job_ids, connection=queue.connection)
    return [job.task_result for job in sorted(jobs, key=lambda job: job.enqueued_at)]


def claim_by_a_worker_that_dies(result) -> None:
    """A worker takes the task and is killed before it records anything more."""
    if not on_redis():
        DBTaskResult.objects.get(pk=result.id).claim("killed-worker")
        return
    queue = django_rq.get_queue("default", job_class=Job)
    job = Job.fetch(result.id, connection=queue.connection)
    queue.remove(job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)


def failures_not_recorded(monkeypatch):
    """Until the returned undo: a task that raises is left running, as by SIGKILL.

    A killed process records nothing, not even its failure: the worker's step
    that records it raises the task's exception instead.
    """
    if on_redis():

        def killed(worker, job, queue, execution, exc_info):
            raise exc_info[1]

        target, name = SimpleWorker, "_finalize_failure"
    else:

        def killed(result, exception):
            raise exception

        target, name = DBTaskResult, "set_failed"
    original = getattr(target, name)
    monkeypatch.setattr(target, name, killed)
    return lambda: monkeypatch.setattr(target, name, original)


class _InProcessWorker(SimpleWorker):
    """RQ's worker without fork, which lets out what kills it (RQ logs it and stops)."""

    died = None

    def execute_job(self, job, queue):
        try:
            return super().execute_job(job, queue)
        except BaseException as error:
            self.died = error
            raise


@pytest.fixture
def run_tasks(monkeypatch):
    """Runs the queued background tasks with a real worker of the configured queue."""
    if on_redis():
        # As for db_worker below: task_worker closes the connections before it
        # forks, which would end the test's transaction.
        monkeypatch.setattr(
            "campus.opendata.management.commands.task_worker.reset_db_connections",
            lambda: None,
        )

        def run():
            queue = django_rq.get_queue("default", job_class=Job)
            worker = _InProcessWorker(
                [queue], connection=queue.connection, job_class=Job
            )
            worker.work(burst=True, logging_level="WARNING")
            if worker.died is not None:
                raise worker.died

        return run

    # Inside a test's transaction the worker must keep the connection open, as
    # Django's test client does for requests.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


@pytest.fixture(autouse=True)
def _empty_task_queue(settings):
    """On Redis, each test starts from an empty queue in its process's database."""
    if not on_redis():
        yield
        return
    queues = {
        name: {**queue, "URL": redis_url_of_this_process(queue["URL"])}
        for name, queue in settings.RQ_QUEUES.items()
    }
    settings.RQ_QUEUES = queues
    django_rq.get_connection("default").flushdb()
    yield
