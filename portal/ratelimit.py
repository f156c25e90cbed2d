"""The portal's limits on order look-ups (counted by the core's fixed-window counters)."""

from returns_platform.proxies import client_address
from returns_platform.ratelimit import Limit, hit

__all__ = [
    "DETAILS_PER_IP",
    "LOOKUPS_PER_IP",
    "LOOKUPS_PER_ORDER",
    "Limit",
    "client_address",
    "hit",
    "wants_json",
]

# About 10 look-ups a minute per address, 20 an hour per order number.
LOOKUPS_PER_IP = Limit("lookup-ip", 10, 60)
LOOKUPS_PER_ORDER = Limit("lookup-order", 20, 3600)
# The details step decodes and re-encodes photos: 20 submissions per 10 minutes per
# address is far more than a person fixing a form needs, and bounds a script's cost.
DETAILS_PER_IP = Limit("details-ip", 20, 600)


def wants_json(request) -> bool:
    """A client that asked for JSON (a script, a fetch()) gets the refusal as JSON."""
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept
