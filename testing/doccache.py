"""Pages read with and without the process's document cache (returns_platform/doccache.py)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_twice(api, settings, url: str) -> tuple[bytes, int]:
    """The page's bytes (asked twice: read, then from the cache) and the queries of the
    second answer; both compared with the page built without the cache."""
    first = api.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = api.get(url)
    count = len(queries)  # before the next request starts a new log
    settings.API_DOCUMENT_CACHE_SIZE = 0
    try:
        fresh = api.get(url)
    finally:
        settings.API_DOCUMENT_CACHE_SIZE = 1000
    assert first.status_code == second.status_code == fresh.status_code == 200
    assert first.content == second.content == fresh.content
    return second.content, count
