"""The task queue where django-tasks' public API stops: which queue a backend
has, how many tasks wait in it, and a task left by a dead worker.

django-tasks enqueues and reads results the same way on every backend. It has no
call for this: a worker killed in the middle of a task (SIGKILL, a lost machine)
leaves the task « running » for good, as a row of the database queue or, on
Redis, in RQ's started registry (Campus's jobs have no time limit, so RQ never
gives up on them). The workflows that restart such work (an import, a newsletter
sending) fail the dead task here first, so that the queue tells the truth.

Nor does it count the tasks waiting for a worker, which the health check and the
metrics show: with the database queue (django-tasks-db) the READY rows whose time
has come (a partial index on the status serves it); with the Redis queue
(django-tasks-rq) the length of each RQ queue the backend uses (LLEN), a call that
fails like a ping when Redis does not answer. Scheduled tasks whose time has not
come are not counted: no worker can take them yet.
"""

import django_rq
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job, RQBackend
from rq.job import JobStatus
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry

DATABASE = "database"
REDIS = "redis"


def queue_kind(backend=None) -> str | None:
    """Which queue a backend (the default one when not given) keeps its tasks in:
    DATABASE, REDIS, or None for a backend without one (the immediate and dummy
    backends of development and tests)."""
    if backend is None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        return DATABASE
    if isinstance(backend, RQBackend):
        return REDIS
    return None


def queue_depth() -> int | None:
    """Tasks ready to run and waiting for a worker on the default backend; None
    without a queue. Raises the database's or Redis's error when the queue does not
    answer."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    kind = queue_kind(backend)
    if kind == DATABASE:
        return DBTaskResult.objects.ready().count()
    if kind == REDIS:
        return sum(django_rq.get_queue(name).count for name in sorted(backend.queues))
    return None


def fail_running(task: Task, args: list, error: Exception) -> None:
    """Marks failed the running results of `task(*args)`, on the task's backend."""
    kind = queue_kind(task.get_backend())
    if kind == DATABASE:
        _fail_running_in_database(task, args, error)
    elif kind == REDIS:
        _fail_running_in_redis(task, args, error)


def _fail_running_in_database(task: Task, args: list, error: Exception) -> None:
    for result in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=task.module_path
    ).order_by("pk"):
        if result.args_kwargs.get("args") == args:
            result.set_failed(error)


def _fail_running_in_redis(task: Task, args: list, error: Exception) -> None:
    queue = django_rq.get_queue(task.queue_name, job_class=Job)
    registry = StartedJobRegistry(queue=queue)
    job_ids = registry.get_job_ids(cleanup=False)
    for job in Job.fetch_many(job_ids, connection=queue.connection):
        if (
            job is not None
            and job.func_name == task.module_path
            and list(job.args) == args
            and job.get_status() == JobStatus.STARTED
        ):
            with queue.connection.pipeline() as pipeline:
                record_job_failure(job, f"{type(error).__name__}: {error}", pipeline)
                registry.remove_executions(job, pipeline)
                pipeline.execute()
