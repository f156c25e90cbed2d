"""The portal's limits on order look-ups (counted by the core's fixed-window counters)."""

from returns_platform.proxies import client_address
from returns_platform.ratelimit import Limit, hit

__all__ = ["LOOKUPS_PER_IP", "LOOKUPS_PER_ORDER", "Limit", "client_address", "hit"]

# About 10 look-ups a minute per address, 20 an hour per order number.
LOOKUPS_PER_IP = Limit("lookup-ip", 10, 60)
LOOKUPS_PER_ORDER = Limit("lookup-order", 20, 3600)
