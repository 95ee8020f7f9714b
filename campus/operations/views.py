import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from campus.operations.checks import health_checks
from campus.operations.metrics import metrics_allowed, render_metrics

CHECK_LABELS = {
    "database": "Base de données",
    "queue": "File des tâches",
    "cache": "Cache",
    "disk": "Espace disque",
}


async def gather_checks(checks: dict) -> dict[str, bool]:
    """Each check's success, all run at once within the library's time limits.

    The synchronous checks (database, queue, disk) run in threads of their own,
    which are not waited for past their time limit: a hung database does not hold
    the load balancer's probe longer than that.
    """
    executor = ThreadPoolExecutor(
        max_workers=len(checks), thread_name_prefix="campus-health"
    )
    try:
        results = await asyncio.gather(
            *(check.get_result(executor) for check in checks.values())
        )
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    return {
        name: result.error is None for name, result in zip(checks, results, strict=True)
    }


def run_checks(checks: dict) -> dict[str, bool]:
    """The checks' event loop in a thread of its own: the view stays synchronous,
    as gunicorn's sync workers serve it, and works from a thread that already runs
    a loop (where Django's async_to_sync refuses to wait on another)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="campus-health") as loop:
        return loop.submit(asyncio.run, gather_checks(checks)).result()


def wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


@login_not_required
@never_cache
@require_safe
def health(request):
    """For load balancers: 200 when every check passes, 503 naming those that fail.

    A view of ours over django-health-check's checks rather than its view, which
    answers 500 (not 503), names each check by its repr (a path, a host), offers
    feeds and metrics of the same, and renders an English page.
    """
    results = run_checks(health_checks())
    healthy = all(results.values())
    status = 200 if healthy else 503
    if wants_json(request):
        response = JsonResponse(
            {
                "status": "ok" if healthy else "error",
                "checks": {
                    name: "ok" if passed else "error"
                    for name, passed in results.items()
                },
            },
            status=status,
        )
    else:
        # Without the request, hence without the context processors, which read
        # the database that may be the failing check.
        page = render_to_string(
            "operations/health.html",
            {
                "healthy": healthy,
                "results": [
                    (CHECK_LABELS[name], passed) for name, passed in results.items()
                ],
            },
        )
        response = HttpResponse(page, status=status)
    patch_vary_headers(response, ["Accept"])
    if request.method == "HEAD":
        # Probes often send HEAD; gunicorn logs a warning for each HEAD answer
        # with a body.
        response.content = b""
    return response


@login_not_required
@never_cache
@require_safe
def metrics(request):
    """Prometheus metrics, for the allowed addresses or the bearer of the token;
    anyone else is told there is no such page."""
    if not metrics_allowed(request):
        raise Http404
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
