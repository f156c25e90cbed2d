"""Django's Redis cache, made to survive a Redis outage.

The cache only ever holds what can be computed again (carrier accounts, service points,
rate-limit counters), so while Redis is down (a restart, a failover) a read is a miss and a
write is dropped, logged once per call, instead of failing the request that asked: a
return filed during a Redis restart is stored like any other. Connection and read
timeouts are short, so a Redis that hangs costs a request a second, not a worker.
Rate limits count nothing while Redis is away (they let the request through).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


def _soft(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCache's ``name``, answering ``fallback(*arguments)`` while Redis is away."""

    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except OUTAGE as error:
            logger.warning("Cache unavailable (%s): %s", name, error)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


class ResilientRedisCache(RedisCache):
    # As if the key was new: a rate-limit window starts afresh.
    add = _soft("add", lambda *args, **kwargs: True)
    get = _soft("get", lambda key, default=None, version=None: default)
    set = _soft("set", _nothing)
    touch = _soft("touch", _false)
    delete = _soft("delete", _false)
    get_many = _soft("get_many", lambda *args, **kwargs: {})
    has_key = _soft("has_key", _false)
    # The first of a window: within every limit.
    incr = _soft("incr", lambda key, delta=1, version=None: delta)
    set_many = _soft("set_many", lambda data, *args, **kwargs: list(data))
    delete_many = _soft("delete_many", _false)
