"""Fixed-window counters in Django's cache (local memory embedded, Redis in production).

A window is a whole period (a minute, an hour) named by its start, so every process
counts into the same key; ``cache.add`` creates it with a timeout of one period and
``cache.incr`` is atomic on Redis. A burst at the edge of two windows can reach twice
the limit for a moment, which is the known price of a fixed window and acceptable here.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    period_seconds: int


# DESIGN/issue 4: about 10 look-ups a minute per address, 20 an hour per order number.
LOOKUPS_PER_IP = Limit("lookup-ip", 10, 60)
LOOKUPS_PER_ORDER = Limit("lookup-order", 20, 3600)


def _key(limit: Limit, subject: str, now: float) -> str:
    window = int(now // limit.period_seconds)
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{window}:{digest}"


def hit(limit: Limit, subject: str, *, now: float | None = None) -> bool:
    """Count one attempt; True while the subject is within its limit for this window."""
    key = _key(limit, subject, time.time() if now is None else now)
    if cache.add(key, 1, timeout=limit.period_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.add(key, 1, timeout=limit.period_seconds)
        return True
    return count <= limit.count


def client_address(request) -> str:
    """The client's address.

    Behind the production TLS proxy (``BEHIND_TLS_PROXY``, which sets
    ``SECURE_PROXY_SSL_HEADER``) every request comes from the proxy, so the last entry of
    ``X-Forwarded-For`` (the one our own proxy appended; earlier entries are the client's
    word) names the client. Without a proxy the peer address is the client.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
