"""Back-office tenant scope: the signed-in user's membership decides the tenant."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse

from returns_platform.tenancy import set_current_tenant, unscoped_context
from tenants.models import Membership

SESSION_TENANT_KEY = "backoffice_tenant_id"
# Pages that work before a tenant is chosen.
UNSCOPED_PAGES = ("login", "logout", "tenant-select", "language")


@lru_cache(maxsize=16)
def _prefixes(script_prefix: str, urlconf: str) -> tuple[str, tuple[str, ...]]:
    """The back office's path prefix and its unscoped pages' paths (reversed once each)."""
    return (
        reverse("backoffice:dashboard", urlconf),
        tuple(reverse(f"backoffice:{name}", urlconf) for name in UNSCOPED_PAGES),
    )


def memberships_of(user) -> list[Membership]:
    with unscoped_context():
        return list(
            Membership.unscoped.select_related("tenant")
            .filter(user=user, tenant__is_active=True)
            .order_by("tenant__name")
        )


class BackofficeTenantMiddleware:
    """Sets ``request.tenant`` and ``request.membership`` for back-office pages.

    The tenant comes from the session and is re-checked against the user's memberships
    on every request, so a removed membership takes effect at once.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None
        request.membership = None
        path = request.path
        home, unscoped = _prefixes(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if not path.startswith(home) or path.startswith(unscoped):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(path, "backoffice:login")
        membership = self._membership(request)
        if membership is None:
            return redirect("backoffice:tenant-select")
        request.tenant = membership.tenant
        request.membership = membership
        set_current_tenant(membership.tenant)
        return self.get_response(request)

    def _membership(self, request: HttpRequest) -> Membership | None:
        tenant_id = request.session.get(SESSION_TENANT_KEY)
        with unscoped_context():
            memberships = Membership.unscoped.select_related("tenant").filter(
                user=request.user, tenant__is_active=True
            )
            if tenant_id is not None:
                return memberships.filter(tenant_id=tenant_id).first()
            only = list(memberships[:2])
        if len(only) == 1:
            request.session[SESSION_TENANT_KEY] = only[0].tenant_id
            return only[0]
        return None
