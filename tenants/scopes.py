"""API key scopes, enforced on every API view (a DRF permission in the defaults).

A view's area is its ``api_scope`` attribute, or else the app that defines it. A key may
read an area with ``read`` or the area's own scope, and change it only with the area's
scope. A key without the scope gets 403 ``insufficient_scope`` naming the scope it needs.
"""

from __future__ import annotations

from rest_framework import exceptions, permissions

from tenants.models import ApiKey, ApiScope

# The app that defines a view -> the scope of its area.
APP_SCOPES = {
    "orders": ApiScope.ORDERS,
    "returns": ApiScope.RETURNS,
    "conversations": ApiScope.RETURNS,
    "credits": ApiScope.CREDITS,
    "notifications": ApiScope.WEBHOOKS,
    "tenants": ApiScope.SETTINGS,
    "carriers": ApiScope.SETTINGS,
}
# An area nobody named is the most guarded one.
DEFAULT_SCOPE = ApiScope.SETTINGS
INSUFFICIENT_SCOPE = "This API key lacks the {scope!r} scope this request needs."


class InsufficientScope(exceptions.PermissionDenied):
    default_code = "insufficient_scope"


def view_scope(view) -> str:
    declared = getattr(view, "api_scope", None)
    if declared:
        return str(declared)
    return str(APP_SCOPES.get(type(view).__module__.split(".")[0], DEFAULT_SCOPE))


def required_scopes(view, method: str) -> set[str]:
    """The scopes any one of which allows ``method`` on ``view``."""
    area = view_scope(view)
    if method in permissions.SAFE_METHODS:
        return {area, ApiScope.READ.value}
    return {area}


class ApiScopePermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            return True  # not an API-key request (public schema, signed carrier hooks)
        allowed = required_scopes(view, request.method)
        if allowed & set(api_key.scopes):
            return True
        scope = view_scope(view)
        raise InsufficientScope(INSUFFICIENT_SCOPE.format(scope=scope))
