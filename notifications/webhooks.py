"""Webhook targets and the HTTP call: refuse internal addresses, sign, POST, time out.

A target is checked when the subscription is made and again on every delivery: the host
is resolved and *every* address it resolves to must be public (not private, loopback,
link-local, multicast, reserved or unspecified). The request then goes to the checked
address itself (the connection is pinned to it, TLS still verifies the host name), so a
DNS answer that changes between the check and the connection cannot redirect it inside.
Redirects are not followed. ``settings.WEBHOOK_ALLOW_PRIVATE_TARGETS`` lifts the address
rule for development and tests.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

TIMEOUT_SECONDS = 10
RESPONSE_EXCERPT_CHARS = 1000

TARGET_NOT_HTTP = _("A webhook URL must use http or https.")
TARGET_NO_HOST = _("A webhook URL needs a host name.")
TARGET_UNRESOLVABLE = _("The webhook host {host!r} does not resolve.")
TARGET_INTERNAL = _("The webhook host {host!r} resolves to an internal address ({address}).")


class UnsafeTarget(ValueError):
    def __init__(
        self, message: str, *, code: str, permanent: bool = True, params: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.permanent = permanent
        self.params = params or {}


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the connection goes to


@dataclass(frozen=True)
class HttpResult:
    status_code: int | None
    excerpt: str
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def private_targets_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False))


def is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve_target(url: str) -> Target:
    """Check ``url`` and pick the address to connect to; raise ``UnsafeTarget`` if refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget(str(TARGET_NOT_HTTP), code="webhook_url_scheme")
    host = parts.hostname
    if not host:
        raise UnsafeTarget(str(TARGET_NO_HOST), code="webhook_url_host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeTarget(str(error), code="webhook_url_port") from error
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(
            TARGET_UNRESOLVABLE.format(host=host),
            code="webhook_url_unresolvable",
            permanent=False,
            params={"host": host},
        ) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeTarget(
            TARGET_UNRESOLVABLE.format(host=host),
            code="webhook_url_unresolvable",
            permanent=False,
            params={"host": host},
        )
    if not private_targets_allowed():
        for address in addresses:
            if is_internal(address):
                raise UnsafeTarget(
                    TARGET_INTERNAL.format(host=host, address=address),
                    code="webhook_url_internal",
                    params={"host": host, "address": address},
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str]) -> HttpResult:
    """POST ``body`` to the checked target; never raises for network trouble."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, TIMEOUT_SECONDS)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT_CHARS * 4).decode("utf-8", "replace")
        return HttpResult(response.status, excerpt[:RESPONSE_EXCERPT_CHARS], _elapsed_ms(started))
    except (OSError, http.client.HTTPException) as error:
        return HttpResult(None, "", _elapsed_ms(started), f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
