"""Portal shops come from a short-lived per-process cache by slug; changes still take effect."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants import portal
from tenants.models import Tenant
from tenants.services import tenant_settings_update
from testing.tenants import hand_clock, make_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved by hand."""
    return hand_clock(monkeypatch, portal)


def _get(client, path: str = "/r/acme/"):
    """The answer to ``path`` and the shop queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [query for query in queries if "tenants_tenant" in query["sql"]]


def test_a_known_slug_costs_no_query_while_cached(client, tenant, clock):
    response, shop_queries = _get(client)
    assert response.status_code == 200 and len(shop_queries) == 1
    response, shop_queries = _get(client)
    assert response.status_code == 200 and shop_queries == []
    clock[0] += portal.TTL_SECONDS + 0.1
    response, shop_queries = _get(client)
    assert response.status_code == 200 and len(shop_queries) == 1


def test_deactivated_elsewhere_is_refused_within_the_ttl(client, tenant, clock):
    assert client.get("/r/acme/").status_code == 200
    # Another process deactivates the shop: this one still has it for at most TTL_SECONDS.
    Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
    assert client.get("/r/acme/").status_code == 200
    clock[0] += portal.TTL_SECONDS + 0.1
    assert client.get("/r/acme/").status_code == 404
    # Unknown and inactive slugs are looked up every time.
    response, shop_queries = _get(client)
    assert response.status_code == 404 and shop_queries


def test_settings_saved_in_this_process_show_at_once(
    client, tenant, clock, django_capture_on_commit_callbacks
):
    assert "--brand: #1f4b99;" in client.get("/r/acme/").content.decode()
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant):
        tenant_settings_update(
            tenant=tenant,
            changes={"brand_colour": "#aa0000", "name": "Acme Outlet"},
            actor=Actor.system("test"),
        )
    page = client.get("/r/acme/").content.decode()
    assert "--brand: #aa0000;" in page and "Return an item to Acme Outlet" in page


def test_deactivated_in_this_process_is_refused_at_once(client, tenant, clock):
    assert client.get("/r/acme/").status_code == 200
    tenant.is_active = False
    tenant.save(update_fields=["is_active"])
    assert client.get("/r/acme/").status_code == 404


def test_other_shops_stay_cached_when_one_changes(client, tenant, clock):
    globex = make_tenant("globex")
    client.get("/r/acme/")
    client.get("/r/globex/")
    globex.name = "Globex Two"
    globex.save(update_fields=["name"])
    assert _get(client, "/r/acme/")[1] == []
    response, shop_queries = _get(client, "/r/globex/")
    assert b"Globex Two" in response.content and len(shop_queries) == 1


def test_requests_get_their_own_copies(tenant, clock):
    first = portal.resolve_portal_tenant("acme")
    first.name = "Changed by one request"
    second = portal.resolve_portal_tenant("acme")
    assert second is not first and second.name == "Acme"
    with pytest.raises(Http404):
        portal.resolve_portal_tenant("unknown")
