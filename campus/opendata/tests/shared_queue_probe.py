"""A task for the test of several workers on one Redis queue (test_worker_redis.py).

Each run writes its number and process to a shared file, then waits for the
test's go: the first two runs hold their workers until the test has seen two
runs at once, which only two workers can give.
"""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def take_part(folder: str, number: int) -> int:
    folder = Path(folder)
    with open(folder / "runs", "a") as runs:
        runs.write(f"{number} {os.getpid()}\n")
    while not (folder / "go").exists():
        time.sleep(0.05)
    return number
