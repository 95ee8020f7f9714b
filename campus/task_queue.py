"""The task queue where django-tasks' public API stops: a task left by a dead worker.

django-tasks enqueues and reads results the same way on every backend. It has no
call for this: a worker killed in the middle of a task (SIGKILL, a lost machine)
leaves the task « running » for good, as a row of the database queue or, on
Redis, in RQ's started registry (Campus's jobs have no time limit, so RQ never
gives up on them). The workflows that restart such work (an import, a newsletter
sending) fail the dead task here first, so that the queue tells the truth.
"""

import django_rq
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job, RQBackend
from rq.job import JobStatus
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry


def fail_running(task: Task, args: list, error: Exception) -> None:
    """Marks failed the running results of `task(*args)`, on the task's backend."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        _fail_running_in_database(task, args, error)
    elif isinstance(backend, RQBackend):
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
