import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from campus.operations.logs import RequestIdFilter

pytestmark = pytest.mark.django_db

REQUEST = """
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from campus.operations.logs import RequestLogMiddleware

middleware = RequestLogMiddleware(lambda request: HttpResponse(status=204))
middleware(RequestFactory().get(
    "/lettre/confirmer/Zm9vYmFy-token/?email=lea@example.org",
    headers={"x-request-id": "b7e1c2d3"},
))
"""


def test_json_log_lines_of_a_request():
    """CAMPUS_LOG_FORMAT=json: each line is a JSON object with the request's fields,
    and neither the token of the link nor its query string."""
    result = subprocess.run(
        [sys.executable, "-c", REQUEST],
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "campus.settings",
            "CAMPUS_TESTING": "1",
            "CAMPUS_LOG_FORMAT": "json",
            "CAMPUS_LOG_LEVEL": "INFO",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Zm9vYmFy" not in result.stderr
    assert "example.org" not in result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line.pop("timestamp")
    assert line.pop("duration_ms") >= 0
    assert line == {
        "level": "INFO",
        "logger": "campus.requests",
        "message": "GET /lettre/confirmer/***/ 204",
        "request_id": "b7e1c2d3",
        "method": "GET",
        "path": "/lettre/confirmer/***/",
        "status": 204,
    }


def test_plain_text_by_default():
    """Without CAMPUS_LOG_FORMAT the console handler writes plain messages."""
    assert "formatter" not in settings.LOGGING["handlers"]["console"]


def test_each_request_logs_one_line_with_a_new_id(client, caplog):
    """A request without X-Request-ID gets one; the path keeps its public parts."""
    with caplog.at_level(logging.INFO, logger="campus.requests"):
        client.get("/mentions-legales/?utm_source=lettre")
    (record,) = caplog.records
    assert record.getMessage() == "GET /mentions-legales/ 200"
    assert record.status == 200
    assert len(record.request_id) == 32


def test_an_unusable_request_id_is_replaced(client, caplog):
    """The proxy's id is kept only when it is a short plain token."""
    with caplog.at_level(logging.INFO, logger="campus.requests"):
        client.get("/mentions-legales/", headers={"x-request-id": "a b\nc"})
    (record,) = caplog.records
    assert record.request_id != "a b\nc"


def test_request_lines_are_not_written_at_the_default_level(client, caplog):
    """At the default level (WARNING) request lines are not written."""
    with caplog.at_level(logging.WARNING):
        client.get("/mentions-legales/")
    assert not [r for r in caplog.records if r.name == "campus.requests"]


def test_lines_logged_during_a_request_carry_its_id(client):
    """The console handler's filter adds the request's id to every line, Django's
    line about an error answer included; after the request, no id."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)
    try:
        client.get("/nexiste-pas/", headers={"x-request-id": "abc-1"})
        logging.getLogger("campus.tests").warning("after")
    finally:
        logging.getLogger().removeHandler(handler)
    assert [(r.name, r.request_id) for r in records] == [
        ("django.request", "abc-1"),
        ("campus.tests", ""),
    ]
