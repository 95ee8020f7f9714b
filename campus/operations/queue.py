"""The depth of the task queue, whichever django-tasks backend serves it.

One function for the health check and the metrics: the number of tasks ready to run
and not yet taken by a worker. With the database queue (django-tasks-db) it counts
the READY rows whose time has come (a partial index on the status serves it); with
the Redis queue (django-tasks-rq) it adds up the length of each RQ queue the backend
uses (LLEN), a call that fails like a ping when Redis does not answer. Scheduled
tasks whose time has not come are not counted: no worker can take them yet.
"""

import django_rq
from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_rq import RQBackend


def queue_backend() -> str | None:
    """Which queue holds the tasks: "database", "redis", or None for a backend
    without one (the immediate and dummy backends of development and tests)."""
    backend = import_string(settings.TASKS["default"]["BACKEND"])
    if issubclass(backend, DatabaseBackend):
        return "database"
    if issubclass(backend, RQBackend):
        return "redis"
    return None


def queue_depth() -> int | None:
    """Tasks ready to run and waiting for a worker; None without a queue.

    Raises the database's or Redis's error when the queue does not answer.
    """
    match queue_backend():
        case "database":
            # The model needs the app registry, which this module does not.
            from django_tasks_db.models import DBTaskResult

            return DBTaskResult.objects.ready().count()
        case "redis":
            queues = sorted(task_backends["default"].queues)
            return sum(django_rq.get_queue(name).count for name in queues)
    return None
