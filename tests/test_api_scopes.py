"""API key scopes: chosen at creation, shown in the back office, enforced on every route."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from orders.models import Order
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from tenants.models import ALL_API_SCOPES, ApiKey
from tenants.services import api_key_create

SYSTEM = Actor.system("test")
UNSAFE = {"post", "put", "patch", "delete"}


def _api_routes():
    """(path with dummy parameters, view class) for every route under /api/v1/."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                route = prefix + str(pattern.pattern)
                if view is not None and route.startswith("api/v1/"):
                    route = re.sub(r"<int:\w+>", "1", route)
                    found.append(("/" + re.sub(r"<(?:\w+:)?\w+>", "X1", route), view))

    walk(get_resolver().url_patterns, "")
    return found


def _key(tenant, *scopes) -> APIClient:
    with tenant_context(tenant):
        issued = api_key_create(name="scoped", actor=SYSTEM, scopes=scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}")
    return client


ORDER = {
    "number": "S-1",
    "email": "jan@example.nl",
    "language": "nl",
    "currency": "EUR",
    "shipping_address": {
        "name": "Jan",
        "street": "Kerkstraat 1",
        "postcode": "1012 AB",
        "city": "Amsterdam",
        "country": "NL",
    },
    "placed_at": "2026-11-01T10:00:00Z",
    "lines": [{"sku": "A", "name": "A", "quantity": 1, "unit_price": "10.00"}],
}


def test_every_write_route_refuses_a_read_only_key(tenant):
    reader = _key(tenant, "read")
    routes = _api_routes()
    assert len(routes) >= 15
    refused, read = [], []
    for path, view in routes:
        methods = {m for m in view.http_method_names if hasattr(view, m)} - {"options", "head"}
        for method in sorted(methods):
            response = getattr(reader, method)(path, data={}, format="json")
            body = (
                response.json() if response["Content-Type"].startswith("application/json") else {}
            )
            if method in UNSAFE:
                assert (response.status_code, body.get("code")) == (403, "insufficient_scope"), (
                    method,
                    path,
                )
                refused.append(path)
            else:
                assert body.get("code") != "insufficient_scope", (method, path)
                read.append(path)
    assert refused and read


def test_an_orders_key_writes_orders_and_reads_nothing_else(tenant):
    orders_only = _key(tenant, "orders")
    created = orders_only.post("/api/v1/orders/", ORDER, format="json")
    assert created.status_code == 201, created.json()
    assert orders_only.get("/api/v1/orders/S-1/").status_code == 200
    refused = orders_only.get("/api/v1/returns/")
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert "'returns'" in refused.json()["message"]
    voucher = orders_only.post(
        "/api/v1/vouchers/", {"amount": "5.00", "currency": "EUR"}, format="json"
    )
    assert (voucher.status_code, voucher.json()["code"]) == (403, "insufficient_scope")


def test_a_refused_write_changes_nothing(tenant):
    returns_only = _key(tenant, "returns", "read")
    response = returns_only.post("/api/v1/orders/", ORDER, format="json")
    assert response.status_code == 403
    with tenant_context(tenant):
        assert not Order.objects.exists()


def test_keys_without_chosen_scopes_keep_every_scope(tenant):
    with tenant_context(tenant):
        issued = api_key_create(name="all", actor=SYSTEM)
        assert ApiKey.objects.get(pk=issued.api_key.pk).scopes == ALL_API_SCOPES


@pytest.mark.parametrize("scopes", [[], ["orders", "admin"]])
def test_no_scope_or_an_unknown_scope_is_refused(tenant, scopes):
    with tenant_context(tenant), pytest.raises(DomainError) as refused:
        api_key_create(name="bad", actor=SYSTEM, scopes=scopes)
    assert refused.value.code == "invalid_scopes"


def test_the_schema_names_the_scopes_of_every_operation(client):
    schema = client.get("/api/schema/?format=json").json()
    operations = [
        operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    missing = [o["operationId"] for o in operations if not o.get("x-required-scopes")]
    assert missing == []
    assert "insufficient_scope" in schema["components"]["securitySchemes"]["ApiKey"]["description"]
