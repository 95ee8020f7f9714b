"""Parts of pages that do not depend on the request, kept under the content stamps.

The page cache (campus/page_cache.py) serves whole pages to anonymous visitors; a
page it cannot serve (a logged-in visitor, a new combination of filters, the first
visit after a write) is built, and much of what it builds is the same for everyone:
the home page's sections, the choices of the lists' filters, the campus and sector
profiles. Those are kept here with the tables they read and those tables' stamps
(`page_cache.reading()`), and reused while none of those tables has been written, so
a kept part is never older than the database. The stamps are read once per request
(one query), which the page cache shares when it read them first.

Unlike whole pages, these parts do not follow CAMPUS_PAGE_CACHE_SECONDS: they do not
change with time alone, or say when they will (`expires_at`: the next event ends,
a scheduled article is published), and are kept until then. A part that depended
on the visitor would be shared between visitors: only build here what the visitor,
the query string and the session do not change. A part must hold values, not lazy
querysets: what is read after it is built is not counted among its tables.

Rendered HTML and choice lists go to the `fragments` cache (each process's memory,
or Redis with CAMPUS_REDIS_URL); the profiles, model instances every page reads, are
kept in the process itself (`memo()`), which spares their unpickling.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import caches
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from campus import page_cache
from campus.dates import start_of_day

# Parts that never change with time still leave the cache after a day: tables that
# nothing changes for weeks should not keep the memory of every variant ever built.
LONGEST_SECONDS = 24 * 3600
_memo: dict[str, tuple[page_cache.Snapshot, Any]] = {}


def stamps(request=None) -> page_cache.Stamps | None:
    """The content stamps, read once per GET or HEAD request; None when nothing may
    be kept."""
    # A request that may write keeps nothing: a part built before its write would
    # be kept under the stamps from before.
    if request is None:
        return page_cache.current_stamps()
    if request.method not in ("GET", "HEAD"):
        return None
    if not hasattr(request, "campus_stamps"):
        request.campus_stamps = page_cache.current_stamps()
    return request.campus_stamps


def seconds_until(moment: datetime | None) -> int:
    """How long a part that changes at `moment` may be kept (0: not at all)."""
    if moment is None:
        return LONGEST_SECONDS
    seconds = (moment - timezone.now()).total_seconds()
    return max(0, min(LONGEST_SECONDS, int(seconds)))


def kept(request, name: str, build: Callable[[], Any], *, alone: bool = False) -> Any:
    """`build()`'s value, built once until a table it read is written. It must be
    picklable and depend on nothing but the database. `alone` as for kept_many."""
    return kept_many(request, {name: lambda: (build(), _never)}, alone=alone)[name]


def _never() -> None:
    return None


def kept_many(
    request,
    builders: dict[str, Callable[[], tuple[Any, Callable[[], datetime | None]]]],
    *,
    alone: bool = False,
) -> dict[str, Any]:
    """Several parts read in one go, each built by a function that returns the
    value and a function giving when it changes with time alone (None: never),
    called only when the part is kept; a part whose moment has come is built
    anew. The parts are independent: none is built from another's value.

    A part depends on the tables it read and on those the page read before it,
    whose values its builder may hold. `alone` says the builders read everything
    they show themselves and were handed nothing read before (a home section, the
    same blank form for every event): they then depend on their own tables only,
    and a write to a table the page read earlier leaves them."""
    current = stamps(request)
    if current is None:
        return {name: build()[0] for name, build in builders.items()}
    cache = caches["fragments"]
    keys = {name: f"campus-fragment.{name}" for name in builders}
    found = cache.get_many(keys.values())
    # What the page read before the parts may be in each of them (read_so_far);
    # what one part read is not in the others, which do not see its value.
    before = set() if alone else page_cache.read_so_far()
    if before is None:
        before = page_cache.every_table(current)
    values = {}
    for name, build in builders.items():
        entry = found.get(keys[name])
        if entry is not None and page_cache.is_current(entry[0], current):
            page_cache.note_read(entry[0])
            values[name] = entry[1]
            continue
        with page_cache.reading() as tables:
            values[name], expires_at = build()
            # The moment may be read from tables the value did not need.
            timeout = seconds_until(expires_at())
        if timeout:
            built_from = page_cache.snapshot(tables | before, current)
            cache.set(keys[name], (built_from, values[name]), timeout)
    return values


def rendered_results(
    request,
    template_name: str,
    build_context: Callable[[], dict],
    *,
    expires_at: Callable[[datetime], datetime | None] | None = None,
) -> SafeString:
    """The results of a list page (`template_name`, its « results » partial) rendered
    once per address until a table they read is written; `build_context()` runs the
    page's queries only when they are rendered. Results that change with time alone
    (the events to come) give `expires_at`, which receives the moment just before
    they were read and returns the next moment they change, or None.

    A list's results are the published rows its filters and page select, so they
    depend on the database and the address alone: the query string as sent (its
    links keep its order) and the host and scheme (the « intégrer » snippet gives
    absolute addresses). Nothing of the visitor is in them: a signed-in partner,
    an htmx swap and a page cache that cannot serve (cold) read the same HTML.
    """
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{template_name} {address}".encode()).hexdigest()

    def build():
        since = timezone.now()
        html = render_to_string(template_name, build_context(), request)
        if expires_at is None:
            return html, _never
        return html, lambda: expires_at(since)

    name = f"results.{digest}"
    return mark_safe(kept_many(request, {name: build})[name])


def next_midnight(since: datetime | None = None) -> datetime:
    """When the date changes after `since` (now), for parts that show rows open
    until a day; an `expires_at` as rendered_results and kept_many take it."""
    day = timezone.localdate(since) if since else timezone.localdate()
    return start_of_day(day + timedelta(days=1))


def rendered_form(request, template_name: str, form) -> SafeString:
    """The fields of a public form (`template_name`, a partial of its page) rendered
    once per address, until a table they read is written, while the form is
    unbound.

    An unbound form shows what the database offers (the trades, communes or
    organisations among its choices) and what the address gives (`?metier=` ticks a
    trade, a slug names the organisation): nothing of the visitor, whose CSRF token
    stays outside the part. A form bound to what someone typed is rendered each
    time (and a POST keeps nothing anyway).
    """
    if form.is_bound:
        return render_to_string(template_name, {"form": form}, request)
    return rendered_results(request, template_name, lambda: {"form": form})


def shown_object(request, rows, **lookup):
    """The object of a detail page, looked up in `rows` (a queryset with what the
    page reads of it). A published row (`rows.published()`: every visitor may see
    it, whatever the moment) is read once until a table it came from is written,
    kept per model and lookup; any other is looked up among the rows the visitor
    may see (`rows.visible_to(user)`), a 404 when not there. An address that finds
    no published row keeps nothing."""
    values = ".".join(f"{field}={value}" for field, value in sorted(lookup.items()))
    name = f"shown.{rows.model._meta.label_lower}.{values}"
    try:
        return kept(request, name, lambda: rows.published().get(**lookup))
    except rows.model.DoesNotExist:
        return get_object_or_404(rows.visible_to(request.user), **lookup)


def memo(request, name: str, build: Callable[[], Any]) -> Any:
    """`build()`'s value kept in this process until a table it read is written: an
    object shared by the requests that follow, which they only read. `build()`
    reads all it returns itself, as a part built `alone` (kept_many), and loads
    every relation the pages read of it (`select_related`, `prefetch_related`): one
    loaded later would stay cached on the shared object without its table counted."""
    current = stamps(request)
    if current is None:
        return build()
    built_from, value = _memo.get(name, ((), None))
    if built_from and page_cache.is_current(built_from, current):
        page_cache.note_read(built_from)
        return value
    with page_cache.reading() as tables:
        value = build()
    _memo[name] = (page_cache.snapshot(tables, current), value)
    return value


def clear() -> None:
    """Forget every kept part (tests)."""
    _memo.clear()
    caches["fragments"].clear()
