"""Answers while a part the app depends on is down: a clear 503, never a half-written row.

A database that stops answering (a restart, a failover, a lost connection) raises
``OperationalError`` or ``InterfaceError`` in whatever request is running. The request's
transaction is rolled back by PostgreSQL, so nothing it wrote stays; the client gets a
503 with a JSON body and ``Retry-After`` instead of a 500 page, and may repeat the request
(with the same ``Idempotency-Key`` for a POST). The next request opens a new connection
(``CONN_HEALTH_CHECKS``), so the app recovers by itself once the database is back.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = {
    "code": "database_unavailable",
    "message": "The database is not available at the moment; nothing was saved. Try again.",
}


def is_database_outage(error: BaseException) -> bool:
    return isinstance(error, DATABASE_ERRORS)


def database_unavailable_response() -> JsonResponse:
    response = JsonResponse(DATABASE_UNAVAILABLE, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view outside the API that meets a database outage answers 503 (JSON), not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.warning(
            "Database unavailable during %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response()
