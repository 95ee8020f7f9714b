"""Whole public pages kept in memory for anonymous visitors, under a content stamp.

A public page costs 2 to 10 queries and a template of a few hundred nodes; the same
page served again to the next visitor costs one query (the stamp) and two reads of
the local-memory cache. Django's cache middleware keeps pages for a fixed time and
tells browsers to keep them too, so an edit would stay invisible for that time; here
every write to the database changes a random stamp stored in the database
(`ContentVersion`), the stamp is part of every cache key, and a page rendered before
the write can no longer be found.

What counts as a write: every statement other than a read that goes through Django's
cursors (ORM, `update()`, `bulk_create()`, raw SQL of the imports), found by a
wrapper installed on each database connection, except those on the few tables that
no page shows (sessions, login attempts). PostgreSQL's COPY bypasses the cursor's
`execute()`, so the importer that uses it calls `note_write()` itself. Inside a
transaction the stamp changes when it commits (a page rendered between the write
and the commit would show the old rows under the new stamp otherwise); until then
the connection that wrote serves and keeps nothing.

What is kept: the 200 answer to a GET from a visitor who sends no cookie but the
CSRF one (so no session: not logged in, no message waiting), not an htmx request,
whose response sets no cookie, did not use the CSRF token (a form), left the session
untouched and is not marked private or no-store. Keys follow the response's Vary
header (Django's `learn_cache_key`). A HEAD is answered by the view as before.

Pages also change with time alone (an event becomes past, an article scheduled for
publication appears): an entry lives CAMPUS_PAGE_CACHE_SECONDS (60 by default), the
longest such a change can wait. 0 turns the cache off. Each process keeps its own
entries, or all app servers share them in Redis (CAMPUS_REDIS_URL); either way the
stamp is in the database, so a write through one server retires the pages of all.
"""

import re
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.cache import get_cache_key, learn_cache_key

STAMP_TABLE = "profiles_contentversion"
# Written by logins and visits, shown on no page: a login does not empty the cache.
UNSHOWN_TABLES = frozenset(
    {
        STAMP_TABLE,
        "django_session",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
    }
)
READ_STATEMENTS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)


def is_content_write(sql: str) -> bool:
    """Whether a statement may change what a page shows. Anything that is not
    plainly a read counts, so an unusual statement empties the cache rather than
    leaving a stale page."""
    head = sql.lstrip()[:9].upper()
    if head.startswith(READ_STATEMENTS):
        return False
    match = WRITTEN_TABLE.match(sql)
    return not (match and match.group(1).lower() in UNSHOWN_TABLES)


def bump(connection) -> None:
    """A new stamp: every page kept so far becomes unreachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {STAMP_TABLE} (id, stamp) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp",
                [secrets.randbits(62)],
            )
    except DatabaseError:
        # Only before the migration that creates the table: no page is kept then.
        if STAMP_TABLE in connection.introspection.table_names():
            raise


def note_write(connection) -> None:
    """The content changed on this connection: a new stamp now, or once its
    transaction has committed."""
    if connection.in_atomic_block:
        connection.campus_uncommitted_write = True
    else:
        bump(connection)


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if is_content_write(sql):
        note_write(context["connection"])
    return result


def install(sender, connection, **kwargs) -> None:
    """Receiver of `connection_created`: the connection notes its writes.

    The wrapper goes first in the list, so that `connection.execute_wrapper()`
    blocks, which pop the last one, leave it. The stamp of a transaction changes
    where Django runs the `on_commit` callbacks, once autocommit is back, but is not
    one of them: tests that count a transaction's callbacks see only their own.
    A rolled-back transaction leaves the stamp; a rolled-back savepoint does not
    (its transaction may have written before it). The connections Django opens
    outside any database (to create one) are left alone.
    """
    if connection.alias not in settings.DATABASES:
        return
    if _note_writes in connection.execute_wrappers:
        return
    connection.execute_wrappers.insert(0, _note_writes)
    connection.campus_uncommitted_write = False
    run_commit_hooks = connection.run_and_clear_commit_hooks
    rollback = connection.rollback

    def run_and_clear_commit_hooks():
        run_commit_hooks()
        if connection.campus_uncommitted_write:
            connection.campus_uncommitted_write = False
            bump(connection)

    def rollback_and_forget():
        connection.campus_uncommitted_write = False
        rollback()

    connection.run_and_clear_commit_hooks = run_and_clear_commit_hooks
    connection.rollback = rollback_and_forget


def current_stamp() -> int | None:
    """The stamp pages are kept under, or None when none may be: the table is empty
    (a fresh or flushed database) or this connection has uncommitted writes."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and getattr(
        connection, "campus_uncommitted_write", False
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


# The open-data API answers conditional requests and counts each client's requests
# itself (campus/api/caching.py): a kept answer would skip both. The health check
# and the metrics (campus/operations) must answer with the database down, when
# reading the stamp would fail first.
UNCACHED_PATHS = ("/api/", "/sante/", "/metrics")


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and not request.path.startswith(UNCACHED_PATHS)
        and "HTTP_HX_REQUEST" not in request.META
        and all(name == settings.CSRF_COOKIE_NAME for name in request.COOKIES)
    )


def _cacheable_response(request, response) -> bool:
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (user is not None and user.is_authenticated)
        and not any(word in control for word in ("private", "no-store", "no-cache"))
    )


class PageCacheMiddleware:
    """Serves and keeps anonymous public pages; placed after LocaleMiddleware (the
    language is part of the key) and before everything that reads the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.CAMPUS_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        stamp = request.campus_stamp = current_stamp()
        if stamp is None:
            return self.get_response(request)
        cache = caches["pages"]
        prefix = f"campus-page.{stamp}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            response = cache.get(key)
            if response is not None:
                return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            key = learn_cache_key(request, response, seconds, prefix, cache=cache)
            cache.set(key, response, seconds)
        return response
