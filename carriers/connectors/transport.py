"""karrio's HTTP goes through ``requests``, with a timeout.

karrio's connectors call ``urllib.request.urlopen`` without a timeout, so a carrier that
stops answering would hold a worker forever. ``install()`` (run once at start-up) points
karrio's transport at :func:`urlopen` here, which sends the same request with
``requests`` and ``CARRIER_HTTP_TIMEOUT`` seconds of patience and hands karrio back what it
expects: a response object, or ``HTTPError`` for 4xx/5xx answers. One HTTP stack for all
carrier calls also means one test double at the HTTP edge (``responses``).
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request

import requests
from django.conf import settings

USER_AGENT = "returns-platform/1 (+carriers)"


class _Response:
    """The part of an ``http.client.HTTPResponse`` that karrio reads."""

    def __init__(self, response: requests.Response) -> None:
        self._body = response.content
        self.status = response.status_code
        self.headers = response.headers
        self.url = response.url

    def read(self) -> bytes:
        return self._body

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def timeout() -> float:
    return float(settings.CARRIER_HTTP_TIMEOUT)


def urlopen(request: urllib.request.Request, timeout_seconds: float | None = None, **_: object):
    response = requests.request(
        request.get_method(),
        request.full_url,
        data=request.data,
        headers={"User-Agent": USER_AGENT, **dict(request.header_items())},
        timeout=timeout_seconds or timeout(),
    )
    if response.status_code >= 400:
        raise urllib.error.HTTPError(
            request.full_url,
            response.status_code,
            response.reason or "",
            response.headers,  # type: ignore[arg-type]
            io.BytesIO(response.content),
        )
    return _Response(response)


def _karrio_urlopen(request, timeout=None, **kwargs):  # karrio passes ``timeout=``
    return urlopen(request, timeout, **kwargs)


def install() -> None:
    from karrio.core.utils import helpers

    helpers.urlopen = _karrio_urlopen
