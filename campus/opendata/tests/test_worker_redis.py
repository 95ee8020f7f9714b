"""Several task workers share the Redis queue; a killed one loses nothing (issue 17).

Real `task_worker` processes, each with its own SQLite connection to one file and
the Redis database of this test process (CAMPUS_TASKS_BACKEND=redis only).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django_tasks import TaskResultStatus

from campus.opendata.tests.shared_queue_probe import take_part
from campus.testing.tasks import on_redis, task_results

pytestmark = [
    pytest.mark.tasks,
    pytest.mark.skipif(not on_redis(), reason="CAMPUS_TASKS_BACKEND=redis only"),
]
TASKS = 20
# Generous: reached only when a worker is stuck, never by a working one.
PATIENCE = 120


def environment(var_dir, redis_url):
    env = {
        **os.environ,
        "CAMPUS_VAR_DIR": str(var_dir),
        "CAMPUS_TESTING": "1",
        "CAMPUS_REDIS_URL": redis_url,
    }
    # Processes on one SQLite file: the PostgreSQL run's DATABASE_URL must not
    # send them to that server.
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture
def worker_env(tmp_path, settings, migrated_sqlite_file):
    """The environment of a worker process on a migrated SQLite file of its own."""
    shutil.copy(migrated_sqlite_file, tmp_path / "campus.sqlite3")
    return environment(tmp_path, settings.RQ_QUEUES["default"]["URL"])


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "task_worker", "--batch", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
    )


def wait_for(condition):
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "the workers stopped answering"
        time.sleep(0.05)


def test_two_workers_share_the_queue_and_run_each_task_once(tmp_path, worker_env):
    """Twenty tasks, two workers at work at once: each task runs exactly once."""
    for number in range(TASKS):
        take_part.enqueue(str(tmp_path), number)
    runs = tmp_path / "runs"
    workers = [start_worker(worker_env), start_worker(worker_env)]
    wait_for(lambda: runs.exists() and len(runs.read_text().splitlines()) >= 2)
    (tmp_path / "go").touch()
    for worker in workers:
        assert worker.wait(PATIENCE) == 0

    lines = [line.split() for line in runs.read_text().splitlines()]
    assert Counter(int(number) for number, _ in lines) == Counter(range(TASKS))
    results = task_results()
    assert len(results) == TASKS
    assert {result.status for result in results} == {TaskResultStatus.SUCCESSFUL}
    assert sorted(result.return_value for result in results) == list(range(TASKS))


@pytest.mark.parametrize(
    ("whom", "exit_code", "task"),
    [
        ("worker", -signal.SIGKILL, TaskResultStatus.RUNNING),
        # RQ sees its task's process die and fails the task; the import stays
        # « running » all the same.
        ("task", 0, TaskResultStatus.FAILED),
    ],
)
def test_a_killed_import_is_restarted_once_from_its_page(
    tmp_path, worker_env, whom, exit_code, task
):
    """SIGKILL while writing: the import stays « En cours », then, silent, is
    marked interrupted by the restart from its page, whose two clicks give one
    restart: the file imported once (the probe's campus keeps two of its three
    companies), the dead task failed in the queue."""

    def probe(*args):
        return subprocess.run(
            [sys.executable, "-m", "campus.opendata.tests.import_kill_probe"]
            + [tmp_path, *args],
            cwd=settings.BASE_DIR,
            env=worker_env,
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )

    assert probe("kill-worker", whom).returncode == exit_code
    outcome = json.loads(probe("restart").stdout)
    assert outcome == {
        "killed": {"status": "running", "task": task},
        "clicks": [302, 302],
        "marked": "interrupted",
        "tasks": [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL],
        "restarted": ["succeeded", 2],
        "runs": 2,
        "organisations": 2,
    }
