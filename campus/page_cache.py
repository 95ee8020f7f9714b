"""Whole public pages kept in memory for anonymous visitors, under content stamps.

A public page costs 2 to 10 queries and a template of a few hundred nodes; the same
page served again to the next visitor costs one query (the stamps) and two reads of
the local-memory cache. Django's cache middleware keeps pages for a fixed time and
tells browsers to keep them too, so an edit would stay invisible for that time; here
every write to a table changes that table's random stamp, stored in the database
(`ContentStamp`), and a page is served again only while the stamps of every table
it read are those it was built under.

What counts as a write: every statement other than a read that goes through Django's
cursors (ORM, `update()`, `bulk_create()`, raw SQL of the imports), found by a
wrapper installed on each database connection, except those on the few tables that
no page shows (sessions, login attempts). A statement whose table is not recognised
changes the stamp of EVERYTHING, which every entry depends on. PostgreSQL's COPY
bypasses the cursor's `execute()`, so the importer that uses it calls `note_write()`
itself with the table it fills. Inside a transaction the stamps change when it commits (a page rendered
between the write and the commit would show the old rows under the new stamps
otherwise); until then the connection that wrote serves and keeps nothing.

What a page read: the same wrapper collects the tables named after FROM and JOIN by
the statements run while the page is built (`reading()`), and the parts of pages it
reuses from campus/fragments.py bring the tables they were built from. A newsletter
subscription, a registration or the task queue's rows thus leave the directory and
the catalogue kept; an edited organisation retires the pages that read
organisations.

What is kept: the 200 answer to a GET from a visitor who sends no cookie but the
CSRF one (so no session: not logged in, no message waiting), not an htmx request,
whose response sets no cookie, did not use the CSRF token (a form), left the session
untouched and is not marked private or no-store. Keys follow the response's Vary
header (Django's `learn_cache_key`). A HEAD is answered by the view as before.

Pages also change with time alone (an event becomes past, an article scheduled for
publication appears): an entry lives CAMPUS_PAGE_CACHE_SECONDS (60 by default), the
longest such a change can wait. 0 turns the cache off. Each process keeps its own
entries, or all app servers share them in Redis (CAMPUS_REDIS_URL); either way the
stamps are in the database, so a write through one server retires the pages of all.
"""

import re
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.cache import get_cache_key, learn_cache_key

STAMP_TABLE = "profiles_contentstamp"
# The stamp every kept entry depends on: changed by a write whose table is not
# recognised (a schema change) or a restored database, it retires everything.
EVERYTHING = "*"
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
# Tables written by the database itself, behind the statements Django sends: a read
# of the index depends on the table whose triggers fill it.
SOURCE_TABLES = {"trainings_offering_fts": "trainings_offering"}
READ_STATEMENTS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
# Django names every table it reads after FROM or JOIN, quoted; raw SQL unquoted.
READ_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)', re.IGNORECASE)

Stamps = dict[str, int]
# What a kept entry was built from: each table it read with its stamp then,
# EVERYTHING's included.
Snapshot = tuple[tuple[str, int], ...]


def written_tables(sql: str) -> frozenset[str]:
    """The tables whose content a statement may change: none for a read or a table
    no page shows, EVERYTHING for a statement not recognised (so an unusual
    statement empties the cache rather than leaving a stale page)."""
    head = sql.lstrip()[:9].upper()
    if head.startswith(READ_STATEMENTS):
        return frozenset()
    match = WRITTEN_TABLE.match(sql)
    if match is None:
        return frozenset({EVERYTHING})
    table = match.group(1).lower()
    return frozenset() if table in UNSHOWN_TABLES else frozenset({table})


def read_tables(sql: str) -> set[str]:
    """The tables a read statement names, with the sources of derived ones."""
    tables = {name.lower() for name in READ_TABLE.findall(sql)} - UNSHOWN_TABLES
    return tables | {SOURCE_TABLES[name] for name in tables & SOURCE_TABLES.keys()}


def bump(connection, tables: Iterable[str] = (EVERYTHING,)) -> None:
    """New stamps for `tables`: every entry kept so far that read one of them
    becomes stale. Writing EVERYTHING retires every entry."""
    rows = [(table, secrets.randbits(62)) for table in sorted(set(tables))]
    values = ", ".join(["(%s, %s)"] * len(rows))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {STAMP_TABLE} (name, stamp) VALUES {values} "
                "ON CONFLICT (name) DO UPDATE SET stamp = excluded.stamp",
                [value for row in rows for value in row],
            )
            # After a flush the table is empty and nothing is kept until
            # EVERYTHING has a stamp again.
            cursor.execute(
                f"INSERT INTO {STAMP_TABLE} (name, stamp) VALUES (%s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                [EVERYTHING, secrets.randbits(62)],
            )
    except DatabaseError:
        # Only before the migration that creates the table: no page is kept then.
        if STAMP_TABLE in connection.introspection.table_names():
            raise


def note_write(connection, tables: Iterable[str] = (EVERYTHING,)) -> None:
    """The content of `tables` changed on this connection: new stamps now, or once
    its transaction has committed."""
    if connection.in_atomic_block:
        connection.campus_uncommitted_writes.update(tables)
    else:
        bump(connection, tables)


_reading = threading.local()


@contextmanager
def reading() -> Iterator[set[str]]:
    """Collects the tables read inside the block, by this thread's statements and
    by the kept entries it reuses (`note_read`); an enclosing block gets them too."""
    stack = _reading.__dict__.setdefault("stack", [])
    tables: set[str] = set()
    stack.append(tables)
    try:
        yield tables
    finally:
        stack.pop()
        if stack:
            stack[-1].update(tables)


def read_so_far() -> set[str] | None:
    """The tables read by every block being built on this thread: a part built
    inside a page may use what the page read before it (the organisation a detail
    page looked up, the choices a form read), so it depends on them too. None
    outside any block (no request: a command, a test), when what was read before
    is not known."""
    stack = getattr(_reading, "stack", None)
    return set().union(*stack) if stack else None


def every_table(stamps: Stamps) -> set[str]:
    """Every table of the project and every table written so far: what a part
    depends on when what was read before it is not known."""
    models = apps.get_models(include_auto_created=True)
    return {model._meta.db_table for model in models} | SOURCE_TABLES.keys() | {*stamps}


def note_read(snapshot: Snapshot) -> None:
    """A kept entry was reused: the block being built depends on what it read."""
    stack = getattr(_reading, "stack", None)
    if stack:
        stack[-1].update(table for table, _ in snapshot)


def snapshot(tables: Iterable[str], stamps: Stamps) -> Snapshot:
    """What an entry built from `tables` under `stamps` depends on."""
    names = {*tables, EVERYTHING}
    return tuple((name, stamps.get(name, 0)) for name in sorted(names))


def is_current(built_from: Snapshot, stamps: Stamps) -> bool:
    """Whether nothing an entry read has been written since it was built."""
    return all(stamps.get(name, 0) == stamp for name, stamp in built_from)


def _note_statements(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    tables = written_tables(sql)
    if tables:
        note_write(context["connection"], tables)
    else:
        stack = getattr(_reading, "stack", None)
        if stack:
            stack[-1].update(read_tables(sql))
    return result


def install(sender, connection, **kwargs) -> None:
    """Receiver of `connection_created`: the connection notes its writes, and its
    reads while an entry is built.

    The wrapper goes first in the list, so that `connection.execute_wrapper()`
    blocks, which pop the last one, leave it. The stamps of a transaction change
    where Django runs the `on_commit` callbacks, once autocommit is back, but is not
    one of them: tests that count a transaction's callbacks see only their own.
    A rolled-back transaction leaves the stamps; a rolled-back savepoint does not
    (its transaction may have written before it). The connections Django opens
    outside any database (to create one) are left alone.
    """
    if connection.alias not in settings.DATABASES:
        return
    if _note_statements in connection.execute_wrappers:
        return
    connection.execute_wrappers.insert(0, _note_statements)
    connection.campus_uncommitted_writes = set()
    run_commit_hooks = connection.run_and_clear_commit_hooks
    rollback = connection.rollback

    def run_and_clear_commit_hooks():
        run_commit_hooks()
        if connection.campus_uncommitted_writes:
            tables = connection.campus_uncommitted_writes
            connection.campus_uncommitted_writes = set()
            bump(connection, tables)

    def rollback_and_forget():
        connection.campus_uncommitted_writes = set()
        rollback()

    connection.run_and_clear_commit_hooks = run_and_clear_commit_hooks
    connection.rollback = rollback_and_forget


def current_stamps() -> Stamps | None:
    """Each table's stamp, or None when nothing may be kept: EVERYTHING has none (a
    fresh or flushed database) or this connection has uncommitted writes."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and getattr(
        connection, "campus_uncommitted_writes", None
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, stamp FROM {STAMP_TABLE}")
        stamps = dict(cursor.fetchall())
    return stamps if EVERYTHING in stamps else None


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


KEY_PREFIX = "campus-page"


class PageCacheMiddleware:
    """Serves and keeps anonymous public pages; placed after LocaleMiddleware (the
    language is part of the key) and before everything that reads the session.
    Every GET is built inside `reading()`, so that the parts of pages kept on the
    way (campus/fragments.py) know what the view read before them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # The stamps are read before anything the page shows, so that a write
        # committed while the page is built retires it.
        stamps = None
        if not request.path.startswith(UNCACHED_PATHS):
            stamps = request.campus_stamps = current_stamps()
        seconds = settings.CAMPUS_PAGE_CACHE_SECONDS
        serve = bool(seconds and stamps is not None and _cacheable_request(request))
        cache = caches["pages"]
        if serve:
            key = get_cache_key(request, KEY_PREFIX, "GET", cache=cache)
            entry = cache.get(key) if key is not None else None
            if entry is not None and is_current(entry[0], stamps):
                return entry[1]
        with reading() as tables:
            response = self.get_response(request)
        if serve and _cacheable_response(request, response):
            key = learn_cache_key(request, response, seconds, KEY_PREFIX, cache=cache)
            cache.set(key, (snapshot(tables, stamps), response), seconds)
        return response
