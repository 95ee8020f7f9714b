"""Fixtures of the registration tests (imported by their modules)."""

import pytest
from django.core import mail


@pytest.fixture(name="deliver")
def deliver_fixture(run_tasks, django_capture_on_commit_callbacks):
    """Runs an action, commits its on-commit callbacks, then sends the queued
    e-mails with the real task worker; returns the action's result."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        run_tasks()
        return result

    return run


def link_in(message, marker: str) -> str:
    """The path of the link of an e-mail that contains `marker`."""
    line = next(line for line in message.body.splitlines() if marker in line)
    return "/" + line.split("://", 1)[1].split("/", 1)[1]


def outbox_to(address: str):
    return [message for message in mail.outbox if message.to == [address]]
