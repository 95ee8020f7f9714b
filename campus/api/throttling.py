"""The API's rate limit: so many requests per client address in a fixed window.

Counts live in the "ratelimit" cache beside those of the public forms (in each
process's memory unless an operator configures a shared cache, see
docs/operators.md), keyed on the client address that `campus.public_forms.client_ip`
reads behind the reverse proxy. The window is fixed, so the 429 can say exactly
when the next request will be accepted (Retry-After).
"""

import math
import time

from django.conf import settings
from django.core.cache import caches

from campus.public_forms import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """« 120/m » → (120, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1]]


def seconds_to_wait(request) -> int | None:
    """Counts this request; None when it is allowed, otherwise the seconds until
    the client's window ends."""
    allowed, period = parse_rate(settings.CAMPUS_API_RATE)
    now = time.time()
    window = int(now // period)
    key = f"api:{client_ip(request)}:{window}"
    cache = caches["ratelimit"]
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count <= allowed:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def too_many_requests_message(wait: int) -> str:
    allowed, period = parse_rate(settings.CAMPUS_API_RATE)
    unit = {1: "seconde", 60: "minute", 3600: "heure", 86400: "jour"}[period]
    return (
        f"Trop de requêtes : l'API accepte {allowed} requêtes par {unit} et par "
        f"adresse. Réessayez dans {wait} s (en-tête Retry-After)."
    )
