"""Portal resolver: the tenant slug in ``/r/<slug>/`` scopes the consumer's request.

Every portal page looked its shop up by slug. An active shop is now kept for
``TTL_SECONDS`` in the process that resolved it, so a burst of page views costs one
query every few seconds. Saving or deleting a shop drops it from this process's cache at
once (when the transaction commits); every other process sees the change within
``TTL_SECONDS`` (a deactivated shop's portal answers 404 by then), as for API keys
(``tenants/keycache.py``). Unknown or inactive slugs are not kept: they are looked up
every time. Each request gets its own copy of the shop.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse

from returns_platform.tenancy import set_current_tenant
from tenants.models import Tenant

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000

_entries: dict[str, tuple[float, Tenant]] = {}
clock = time.monotonic  # replaced in tests to let entries expire


def _cached_tenant(slug: str) -> Tenant | None:
    now = clock()
    entry = _entries.get(slug)
    if entry is not None and entry[0] > now:
        return entry[1]
    tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
    if tenant is None:
        _entries.pop(slug, None)
        return None
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[slug] = (now + TTL_SECONDS, tenant)
    return tenant


def resolve_portal_tenant(slug: str) -> Tenant:
    cached = _cached_tenant(slug)
    if cached is None:
        raise Http404("No such shop.")
    # The request's own copy: nothing it does (or caches on it) reaches the next request.
    tenant = copy.copy(cached)
    set_current_tenant(tenant)
    return tenant


def forget(tenant_id: int | None = None) -> None:
    """Drop this shop from the cache (every shop when none is given)."""
    if tenant_id is None:
        _entries.clear()
        return
    for slug, (_, tenant) in list(_entries.items()):
        if tenant.pk == tenant_id:
            _entries.pop(slug, None)


def _tenant_changed(sender, instance: Tenant, **kwargs) -> None:
    # Now (this transaction's own requests see the change) and after the commit (a
    # request that cached the old row meanwhile does not keep it for the TTL).
    forget(instance.pk)
    transaction.on_commit(functools.partial(forget, instance.pk))


post_save.connect(_tenant_changed, sender=Tenant, dispatch_uid="portal-tenant-cache")
post_delete.connect(_tenant_changed, sender=Tenant, dispatch_uid="portal-tenant-cache")


def portal_view(view: Callable) -> Callable:
    """Decorate a portal view taking ``slug``: resolve and scope the tenant first."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        request.tenant = resolve_portal_tenant(slug)
        return view(request, *args, **kwargs)

    return wrapper
