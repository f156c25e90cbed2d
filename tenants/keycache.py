"""API keys resolved from a short-lived, per-process cache.

Every API request used to look its key up in the database. The key (with its shop) is
now kept for ``TTL_SECONDS`` in the process that resolved it, keyed by the key's hash,
so a burst of requests from a shop system costs one query every few seconds. Revoking
a key or deactivating a shop is therefore effective everywhere within ``TTL_SECONDS``,
and at once in the process that revoked it (``forget``). Only keys that matched are
kept; an unknown or wrong key is looked up every time, as before.
"""

from __future__ import annotations

import hmac
import time
from typing import TYPE_CHECKING

from returns_platform.tenancy import unscoped_context

if TYPE_CHECKING:
    from tenants.models import ApiKey

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000

_entries: dict[str, tuple[float, ApiKey]] = {}
clock = time.monotonic  # replaced in tests to let entries expire


def resolve(prefix: str, key_hash: str) -> ApiKey | None:
    """The key whose prefix and hash match (with its tenant loaded), or None."""
    from tenants.models import ApiKey

    now = clock()
    entry = _entries.get(key_hash)
    if entry is not None and entry[0] > now:
        return entry[1]
    with unscoped_context():
        api_key = ApiKey.unscoped.select_related("tenant").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, key_hash):
        return None
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key_hash] = (now + TTL_SECONDS, api_key)
    return api_key


def forget(prefix: str | None = None, *, tenant_id: int | None = None) -> None:
    """Drop the cached keys with this prefix or of this tenant (all when neither is given)."""
    if prefix is None and tenant_id is None:
        _entries.clear()
        return
    for key_hash, (_, api_key) in list(_entries.items()):
        if api_key.prefix == prefix or api_key.tenant_id == tenant_id:
            _entries.pop(key_hash, None)
