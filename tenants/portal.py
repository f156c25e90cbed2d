"""Portal resolver: the tenant slug in ``/r/<slug>/`` scopes the consumer's request."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from returns_platform.tenancy import set_current_tenant
from tenants.models import Tenant


def resolve_portal_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
    if tenant is None:
        raise Http404("No such shop.")
    set_current_tenant(tenant)
    return tenant


def portal_view(view: Callable) -> Callable:
    """Decorate a portal view taking ``slug``: resolve and scope the tenant first."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        request.tenant = resolve_portal_tenant(slug)
        return view(request, *args, **kwargs)

    return wrapper
