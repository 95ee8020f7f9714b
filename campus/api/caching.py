"""Conditional requests, rate limits and HEAD for every address of the API.

Every answer carries an ETag (a digest of its body) and a Last-Modified: the
first time this process served that body, which is no earlier than the data's
last change. A client that sends back If-None-Match or If-Modified-Since gets a
304 with no body while the data is unchanged. The wrapper also counts the
request against the client's rate limit (campus/api/throttling.py) before any
query, and answers HEAD as GET without its body.
"""

import hashlib
import json
import time
from functools import wraps

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from campus.api.throttling import seconds_to_wait, too_many_requests_message

# Clients may reuse an answer this long without asking again.
MAX_AGE = 60
# How long a body's first-served time is remembered.
FIRST_SEEN_SECONDS = 7 * 86400


def json_error(status: int, detail: str, **headers) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"detail": detail, "erreurs": None}, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def first_seen(etag: str) -> int:
    cache = caches["default"]
    key = f"api-etag:{etag}"
    now = int(time.time())
    cache.add(key, now, timeout=FIRST_SEEN_SECONDS)
    return cache.get(key, now)


def public_api_view(view):
    """The API's conditions around a ninja view: public, limited, cacheable."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        wait = seconds_to_wait(request)
        if wait is not None:
            return json_error(
                429, too_many_requests_message(wait), Retry_After=str(wait)
            )
        method = request.method
        if method == "HEAD":
            # ninja routes GET only; the handler drops the body of a HEAD.
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = method
        if response.status_code != 200 or response.streaming:
            return response
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        last_modified = first_seen(etag)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    wrapped.login_required = False
    return wrapped
