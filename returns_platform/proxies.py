"""Which address is the client's, and which scheme did it use: believed only from proxies
we trust.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are plain request headers: anybody can send
them. They mean something only when the peer that sent them to us is one of our own
reverse proxies, listed by network in ``TRUSTED_PROXIES`` (empty by default: no proxy is
trusted, the peer address is the client). Behind trusted proxies the client is the
right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy: every proxy
appends the address it received the request from, so entries left of the first untrusted
one are the client's own word and are ignored.

``TrustedProxyMiddleware`` runs first and settles both facts once per request:
``REMOTE_ADDR`` becomes the client address (so rate limits, django-axes and logs read one
value), and ``X-Forwarded-Proto`` is dropped unless a trusted proxy sent it (so
``SECURE_PROXY_SSL_HEADER`` can never be set by a client).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDRs (or single addresses) as networks; a malformed entry raises ValueError."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def resolve_client_address(*, peer: str, forwarded_for: str, trusted: Iterable[str]) -> str:
    """The client's address for a request that reached us from ``peer``."""
    networks = _trusted(tuple(trusted))
    if not networks or not _is_trusted(peer, networks):
        return peer
    nearest = peer
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        if not _valid(hop):
            # Our proxies append valid addresses only: garbage here was passed through, so
            # the nearest address we know is the last proxy's.
            return nearest
        if not _is_trusted(hop, networks):
            return hop
        nearest = hop
    # Every hop is one of our proxies (a health check from inside): the farthest is it.
    return nearest


def client_address(request: HttpRequest) -> str:
    """The client address settled by the middleware (``REMOTE_ADDR``), the throttles' key."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def axes_client_address(request: HttpRequest) -> str | None:
    """The same address for django-axes, or None when there is none (a sign-in made in
    code, as ``Client.force_login`` does): axes stores it in an IP address column, which
    PostgreSQL refuses to fill with "unknown"."""
    return request.META.get("REMOTE_ADDR") or None


class TrustedProxyMiddleware:
    """Settle the client address and scheme before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        trusted = tuple(settings.TRUSTED_PROXIES)
        if trusted and _is_trusted(peer, _trusted(trusted)):
            meta["REMOTE_ADDR"] = resolve_client_address(
                peer=peer, forwarded_for=meta.get("HTTP_X_FORWARDED_FOR", ""), trusted=trusted
            )
        else:
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
            meta.pop("HTTP_X_FORWARDED_HOST", None)
        meta.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)
