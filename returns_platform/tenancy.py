"""The current tenant, and the fail-closed scope every tenant-owned query goes through.

The tenant is held in a context variable. It is set in exactly these places:
- API authentication (API key -> tenant): ``tenants.authentication``;
- the back-office middleware, after checking the user's membership: ``backoffice.middleware``;
- the portal resolver (tenant slug in the URL): ``tenants.portal.resolve_portal_tenant``;
- the ``with_tenant`` decorator for Celery tasks (tasks take ``tenant_id``);
- the ``tenant_context`` context manager (management commands, tests, services).

The default manager of every tenant-owned model (``TenantManager``) raises
``TenantNotSet`` when no tenant is set, and filters by the tenant when one is. An
explicitly named ``unscoped`` manager exists for the admin, migrations and the few
look-ups that *find* the tenant (an API key by its prefix, a user's memberships).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models


def tenant_model() -> type[models.Model]:
    """The shop model (``settings.TENANT_MODEL``, "tenants.Tenant"). The core depends on
    no app, so it names the model and never imports it; tenants are typed as models."""
    return apps.get_model(settings.TENANT_MODEL)


class TenantNotSet(RuntimeError):
    """A tenant-owned model was queried with no tenant in scope."""


class CrossTenantWrite(RuntimeError):
    """An object of one tenant was about to be saved while another tenant is in scope."""


NO_TENANT_MESSAGE = (
    "No tenant is in scope. Set one with tenant_context(), or use the model's "
    "`unscoped` manager where crossing tenants is intended."
)

_current_tenant: contextvars.ContextVar[models.Model | None] = contextvars.ContextVar(
    "current_tenant", default=None
)
# True inside ``unscoped_context()``: row-level security lets the connection see all rows.
_bypass: contextvars.ContextVar[bool] = contextvars.ContextVar("tenant_bypass", default=False)


def get_current_tenant() -> models.Model | None:
    return _current_tenant.get()


def require_current_tenant() -> models.Model:
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantNotSet(NO_TENANT_MESSAGE)
    return tenant


def current_tenant_id() -> int | None:
    tenant = _current_tenant.get()
    return tenant.pk if tenant is not None else None


def is_bypassing() -> bool:
    return _bypass.get()


def set_current_tenant(tenant: models.Model | None) -> contextvars.Token:
    """Set the tenant; return the token to restore the previous one with ``reset``."""
    return _current_tenant.set(tenant)


def reset_current_tenant(token: contextvars.Token) -> None:
    _current_tenant.reset(token)


def clear_current_tenant() -> None:
    _current_tenant.set(None)
    _bypass.set(False)


@contextmanager
def tenant_context(tenant: models.Model) -> Iterator[models.Model]:
    """Run a block with ``tenant`` in scope (management commands, tasks, tests)."""
    if tenant is None or tenant.pk is None:
        raise TenantNotSet("tenant_context() needs a saved tenant.")
    token = _current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _current_tenant.reset(token)


@contextmanager
def unscoped_context() -> Iterator[None]:
    """Let the database connection see every tenant's rows (row-level security bypass).

    Only for operator tools (admin, seeding, verification commands) and for the look-ups
    that find the tenant. The ORM's scoped managers still need an explicit tenant.
    """
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def with_tenant(task_function: Callable) -> Callable:
    """Decorate a Celery task whose first argument is ``tenant_id``: load it and scope the run."""

    @functools.wraps(task_function)
    def wrapper(tenant_id: int, *args: Any, **kwargs: Any) -> Any:
        with unscoped_context():
            tenant = tenant_model().objects.get(pk=tenant_id)
        with tenant_context(tenant):
            return task_function(tenant_id, *args, **kwargs)

    return wrapper


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Fail-closed default manager: no tenant in scope -> ``TenantNotSet``."""

    def get_queryset(self) -> TenantQuerySet:
        tenant = _current_tenant.get()
        if tenant is None:
            raise TenantNotSet(NO_TENANT_MESSAGE)
        return super().get_queryset().filter(tenant_id=tenant.pk)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        """Fill the tenant of new objects from the scope, as ``save()`` does."""
        tenant = require_current_tenant()
        objs = list(objs)
        for obj in objs:
            if obj.tenant_id is None:
                obj.tenant = tenant
            elif obj.tenant_id != tenant.pk:
                raise CrossTenantWrite(
                    f"{type(obj).__name__} of tenant {obj.tenant_id} created in tenant {tenant.pk}."
                )
        return super().bulk_create(objs, *args, **kwargs)


class TenantOwnedModel(models.Model):
    """Base of every tenant-owned model: a non-null tenant FK and the scoped manager.

    ``objects`` is scoped; ``unscoped`` reads across tenants and is reserved for the
    admin, migrations and tenant-finding look-ups. Saving fills the tenant from the
    scope and refuses to write an object of another tenant.
    """

    tenant = models.ForeignKey(settings.TENANT_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    def save(self, *args: Any, **kwargs: Any) -> None:
        tenant = _current_tenant.get()
        if self.tenant_id is None:
            if tenant is None:
                raise TenantNotSet(NO_TENANT_MESSAGE)
            self.tenant = tenant
        elif tenant is not None and self.tenant_id != tenant.pk:
            raise CrossTenantWrite(
                f"{type(self).__name__} of tenant {self.tenant_id} saved in tenant {tenant.pk}."
            )
        super().save(*args, **kwargs)


class TenantContextResetMiddleware:
    """Start and end every request with no tenant in scope (threads are reused)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        clear_current_tenant()
        try:
            return self.get_response(request)
        finally:
            clear_current_tenant()
