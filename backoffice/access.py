"""Access to back-office screens: a signed-in member of the shop in scope, with a role.

``BackofficeTenantMiddleware`` (backoffice/middleware.py) puts the tenant in scope from the
session after re-checking the membership. ``staff_view`` adds the role check every
back-office screen shares (the credits and notifications screens too):

    @staff_view(roles=SERVICE_ROLES)
    def my_view(request): ...

- no user -> redirect to the login page; no tenant chosen -> the tenant choice;
- a role outside ``roles`` -> 403 (the user works for this shop, the screen is not theirs);
- an object of another shop -> 404: views load objects only through scoped managers, and
  ``DomainError``\\s with status 404 raised by services become ``Http404`` here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from returns_platform.audit import Actor
from returns_platform.errors import NotFoundError
from returns_platform.tenancy import get_current_tenant
from tenants.models import Role

ALL_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.AGENT, Role.WAREHOUSE})
# Customer service: requests, orders, credits.
SERVICE_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.AGENT})
# Receipt and inspection of parcels (customer service may book a parcel in too).
WAREHOUSE_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.AGENT, Role.WAREHOUSE})
# Shop settings, API keys and the team.
ADMIN_ROLES: frozenset[str] = frozenset({Role.ADMIN})
# The role names staff read (tenants.models.Role keeps the stored values).
ROLE_LABELS = {Role.ADMIN: _("Admin"), Role.AGENT: _("Agent"), Role.WAREHOUSE: _("Warehouse")}


def has_role(request: HttpRequest, roles: Iterable[str]) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in set(roles)


def staff_actor(request: HttpRequest) -> Actor:
    """The audit actor of a back-office request."""
    return Actor.staff(request.user)


def staff_view(
    *, roles: Iterable[str] = ALL_ROLES, methods: Iterable[str] = ("GET", "POST")
) -> Callable[[Callable], Callable]:
    """Decorate a back-office view: signed in, tenant in scope, role in ``roles``."""
    allowed_roles = frozenset(str(role) for role in roles)
    allowed_methods = list(methods)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        @require_http_methods(allowed_methods)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.path, "backoffice:login")
            membership = getattr(request, "membership", None)
            tenant = getattr(request, "tenant", None)
            # Fail closed: the scope must be the membership's shop, set by the middleware.
            if membership is None or tenant is None or get_current_tenant() != tenant:
                return redirect("backoffice:tenant-select")
            if membership.role not in allowed_roles:
                return render(request, "backoffice/forbidden.html", status=403)
            try:
                return view(request, *args, **kwargs)
            except NotFoundError as error:
                raise Http404(error.message) from error

        wrapper.staff_roles = allowed_roles
        return wrapper

    return decorator
