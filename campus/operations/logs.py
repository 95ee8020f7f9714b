"""Request logs and the request id carried by every log line.

RequestLogMiddleware, first in MIDDLEWARE, writes one line per request to the
`campus.requests` logger at INFO (shown with CAMPUS_LOG_LEVEL=INFO): method, path,
status, duration and a request id, the reverse proxy's X-Request-ID when it sends
one (nginx: `$request_id`) or a new one. The id is also added to every other line
logged while the request runs, up to Django's own line about an error answer
(RequestIdFilter on the handler), so that an error can be traced to its request.
With CAMPUS_LOG_FORMAT=json each line is one JSON object (python-json-logger),
fields as they are named here.

No personal data: no user, no address, no query string, and the values of the URL
parts that are secrets (the tokens of confirmation, unsubscription and password
links) are masked in the path.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.urls import Resolver404, resolve

logger = logging.getLogger("campus.requests")

request_id = ContextVar("request_id", default="")

VALID_REQUEST_ID = re.compile(r"[\w.-]{1,128}", re.ASCII)
SECRET_URL_PARTS = ("token", "uidb64")
MASK = "***"


def forget_request_id(**kwargs):
    """Receiver of `request_finished`, sent once the response is written: after
    Django's own line about a 4xx or 5xx answer, which then carries the id too."""
    request_id.set("")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


def logged_path(request) -> str:
    """The path with the values of its secret parts masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution: a page kept by campus.page_cache.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return path
    for name, value in match.kwargs.items():
        if name in SECRET_URL_PARTS and value:
            path = path.replace(str(value), MASK)
    return path


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META rather than request.headers, which would parse every header.
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id.set(given if VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        start = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            path = logged_path(request)
            logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "request_id": request_id.get(),
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                },
            )
        return response
