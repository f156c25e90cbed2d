"""API authentication: ``Authorization: Bearer <key>`` finds the tenant and scopes the request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from returns_platform.tenancy import set_current_tenant
from tenants import keycache
from tenants.models import ApiKey
from tenants.services import hash_api_key, split_api_key

LAST_USED_RESOLUTION = timedelta(minutes=1)


def _copy(instance: Any) -> Any:
    """``copy.copy`` of a model instance (its state and related cache copied), without
    going through pickling's ``__reduce__``."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__.update(instance.__getstate__())
    return clone


class ApiClient:
    """``request.user`` of an API request: the shop system holding the key."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.tenant = api_key.tenant
        self.pk = None

    def __str__(self) -> str:
        return f"API key {self.api_key.name}"


class InvalidApiKey(exceptions.AuthenticationFailed):
    default_code = "invalid_api_key"
    default_detail = "The API key is not valid."


class RevokedApiKey(exceptions.AuthenticationFailed):
    default_code = "revoked_api_key"
    default_detail = "The API key has been revoked."


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, plaintext = header.partition(" ")
        # The scheme is case-insensitive (RFC 7235 section 2.1): "bearer" is "Bearer".
        if scheme.lower() != self.keyword.lower() or not plaintext.strip():
            raise InvalidApiKey()
        plaintext = plaintext.strip()
        parts = split_api_key(plaintext)
        if parts is None:
            raise InvalidApiKey()
        cached = keycache.resolve(parts[0], hash_api_key(plaintext))
        if cached is None:
            raise InvalidApiKey()
        if cached.is_revoked:
            raise RevokedApiKey()
        if not cached.tenant.is_active:
            raise InvalidApiKey("The shop of this API key is not active.")
        now = timezone.now()
        if cached.last_used_at is None or now - cached.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.unscoped.filter(pk=cached.pk).update(last_used_at=now)
            cached.last_used_at = now
        # The request gets its own copies: nothing it does can change the cached ones.
        api_key = _copy(cached)
        api_key.tenant = _copy(cached.tenant)
        set_current_tenant(api_key.tenant)
        return ApiClient(api_key), api_key

    def authenticate_header(self, request):
        return self.keyword
