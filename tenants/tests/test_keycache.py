"""API keys come from a short-lived per-process cache; revocation still takes effect."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants import keycache
from tenants.models import ApiKey, Tenant
from tenants.services import api_key_revoke
from testing.tenants import api_client_for, hand_clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved by hand."""
    return hand_clock(monkeypatch, keycache)


def _status(api) -> tuple[int, str | None]:
    response = api.get("/api/v1/orders/")
    return response.status_code, response.json().get(
        "code"
    ) if response.status_code != 200 else None


def test_a_known_key_costs_no_query_while_cached(tenant, clock):
    api = api_client_for(tenant)
    assert _status(api) == (200, None)
    with CaptureQueriesContext(connection) as queries:
        assert _status(api) == (200, None)
    assert not any("tenants_apikey" in query["sql"] for query in queries)


def test_revoked_elsewhere_is_refused_within_the_ttl(tenant, clock):
    api = api_client_for(tenant)
    assert _status(api) == (200, None)
    # Another process revokes the key: this one still has it for at most TTL_SECONDS.
    ApiKey.unscoped.filter(pk=api.api_key.pk).update(revoked_at=timezone.now())
    assert _status(api) == (200, None)
    clock[0] += keycache.TTL_SECONDS + 0.1
    assert _status(api) == (401, "revoked_api_key")


def test_revoked_in_this_process_is_refused_at_once(
    tenant, clock, django_capture_on_commit_callbacks
):
    api = api_client_for(tenant)
    assert _status(api) == (200, None)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        api_key_revoke(api_key=ApiKey.objects.get(pk=api.api_key.pk), actor=Actor.system("test"))
    assert _status(api) == (401, "revoked_api_key")


def test_a_deactivated_shop_is_refused_within_the_ttl(tenant, clock):
    api = api_client_for(tenant)
    assert _status(api) == (200, None)
    Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
    clock[0] += keycache.TTL_SECONDS + 0.1
    assert _status(api) == (401, "invalid_api_key")


def test_wrong_secret_with_a_cached_prefix_is_refused(tenant, clock):
    api = api_client_for(tenant)
    assert _status(api) == (200, None)
    plaintext = api._credentials["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext[:-4]}XXXX")
    assert _status(api) == (401, "invalid_api_key")


def test_requests_get_their_own_copies(tenant, clock):
    from rest_framework.test import APIRequestFactory

    from tenants.authentication import ApiKeyAuthentication

    api = api_client_for(tenant)
    header = api._credentials["HTTP_AUTHORIZATION"]
    request = APIRequestFactory().get("/api/v1/orders/", HTTP_AUTHORIZATION=header)
    _, first = ApiKeyAuthentication().authenticate(request)
    _, second = ApiKeyAuthentication().authenticate(request)
    cached = next(iter(keycache._entries.values()))[1]
    assert first.pk == second.pk == cached.pk
    assert first is not second and first is not cached
    assert first.tenant is not second.tenant and first.tenant is not cached.tenant
