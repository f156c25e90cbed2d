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

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    period_seconds: int


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


def exceeded(limit: Limit, subject: str, *, now: float | None = None) -> bool:
    """True when the subject has used up this window's limit (counts nothing)."""
    key = _key(limit, subject, time.time() if now is None else now)
    return (cache.get(key) or 0) >= limit.count
