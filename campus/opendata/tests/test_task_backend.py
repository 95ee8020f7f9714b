"""CAMPUS_TASKS_BACKEND picks the queue: the database, or Redis with CAMPUS_REDIS_URL."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def manage(tmp_path, *args, **variables):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CAMPUS_", "DJANGO_", "PYTEST", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-key-with-enough-entropy-7Hq!",
        DJANGO_ALLOWED_HOSTS="campus.example.fr",
        CAMPUS_VAR_DIR=str(tmp_path),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "variables",
    [
        {"CAMPUS_TASKS_BACKEND": "database"},
        {
            "CAMPUS_TASKS_BACKEND": "redis",
            "CAMPUS_REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    ],
)
def test_either_queue_passes_the_production_checks(tmp_path, variables):
    """`check --deploy` reports nothing, django-tasks-rq's checks included."""
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", **variables
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_redis_queue_refuses_to_start_without_its_address(tmp_path):
    result = manage(tmp_path, "check", CAMPUS_TASKS_BACKEND="redis")
    assert result.returncode != 0
    assert "CAMPUS_TASKS_BACKEND=redis needs CAMPUS_REDIS_URL" in result.stderr
