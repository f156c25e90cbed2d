"""Webhook signatures: how we sign, and the recipe a receiver uses to verify.

Every webhook request carries::

    X-Returns-Signature: t=<unix timestamp>,v1=<hex HMAC-SHA256>

where the HMAC is computed with the subscription's secret over the bytes
``"<timestamp>.<raw request body>"``. The receiver's verification recipe (standard
library only) is in docs/notifications.md; ``test_signature_recipe.py`` runs it as
written. ``verify_signature`` below does the same for our own tests.

Use the raw body as received (before any JSON parsing), compare in constant time, and
reject timestamps older than five minutes so a captured request cannot be replayed
later. Deduplicate on ``X-Returns-Delivery`` (or the payload's ``id`` per event): a
delivery is retried until it gets a 2xx answer, so it may arrive more than once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-Returns-Signature"
EVENT_HEADER = "X-Returns-Event"
DELIVERY_HEADER = "X-Returns-Delivery"
DEFAULT_TOLERANCE = 300


def generate_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(
        secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The value of the ``X-Returns-Signature`` header for ``body``."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def parse_signature_header(header: str) -> tuple[int, list[str]] | None:
    timestamp, signatures = None, []
    for item in (header or "").split(","):
        key, separator, value = item.strip().partition("=")
        if not separator:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                return None
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is at most ``tolerance`` s old."""
    parsed = parse_signature_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
