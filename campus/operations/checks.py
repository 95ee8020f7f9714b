"""What /sante/ checks, as django-health-check checks.

The database (SELECT 1) and the cache (a set then a get on the default cache) are
the library's own checks. The task queue and the free disk space are ours: the
library has no django-tasks check, and its psutil disk check warns on a percentage
of use, where an app server needs a number of megabytes free (an import unzips
gigabytes under var/, whatever the size of the disk).

Checks must not put a path, a host or a version in their messages: the library logs
them with the check's repr, and fields that could hold one are left out of it.
"""

import dataclasses
from pathlib import Path

import psutil
import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable

from campus.task_queue import queue_depth


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The task queue answers: its table, or its Redis server (see campus/task_queue.py)."""

    def run(self):
        # Runs in a thread of its own: the connection it opens is closed after.
        connection = connections[DEFAULT_DB_ALIAS]
        was_open = connection.connection is not None
        try:
            queue_depth()
        except (DatabaseError, redis.RedisError) as error:
            raise ServiceUnavailable(type(error).__name__) from error
        finally:
            if not was_open:
                connection.close()


def nearest_existing(path: Path) -> Path:
    """The path, or its nearest parent that exists (media/ before the first upload)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@dataclasses.dataclass
class FreeDisk(HealthCheck):
    """Room left on the disks of var/ and of the uploaded files."""

    min_free_mb: int = dataclasses.field(repr=False)
    paths: tuple[Path, ...] = dataclasses.field(repr=False)

    def run(self):
        for path in self.paths:
            free_mb = psutil.disk_usage(str(nearest_existing(path))).free // 2**20
            if free_mb < self.min_free_mb:
                raise ServiceUnavailable(
                    f"{free_mb} Mo libres, moins que {self.min_free_mb} Mo"
                )


def health_checks() -> dict[str, HealthCheck]:
    """The checks of /sante/, by the name its answer gives them."""
    disk_paths = [Path(settings.VAR_DIR)]
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        disk_paths.append(Path(settings.MEDIA_ROOT))
    return {
        "database": Database(),
        "queue": TaskQueue(),
        "cache": Cache(),
        "disk": FreeDisk(
            min_free_mb=settings.CAMPUS_HEALTH_MIN_FREE_DISK_MB,
            paths=tuple(disk_paths),
        ),
    }
