"""Every API endpoint that names an object answers another shop's key with 404 and
changes nothing. The routes come from the URL resolver, so a new endpoint is covered
(or this test fails asking how to fill its parameters) without anyone remembering it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from returns_platform.tenancy import TenantOwnedModel, tenant_context
from testing.orders import order_payload

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
NOT_FOUND_CODES = {"not_found", "unknown_voucher"}
OWNER_MOLLIE_KEY = "live_OwnerKey4xY7LxsDOtmnkVtjNVWX"


def api_routes() -> list[tuple[str, list[str]]]:
    """(route with <converters>, HTTP methods) of every /api/v1/ view taking parameters."""

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.callback

    routes = []
    for route, callback in walk(get_resolver()):
        view = getattr(callback, "cls", None)
        if route.startswith("api/v1/") and "<" in route and view is not None:
            routes.append((route, [m for m in METHODS if hasattr(view, m)]))
    return routes


def every_row(tenant) -> dict:
    """Every tenant-owned row of the shop, in full: what "nothing changed" compares."""
    with tenant_context(tenant):
        return {
            model._meta.label: list(model.objects.order_by("pk").values())
            for model in apps.get_models()
            if issubclass(model, TenantOwnedModel)
        }


def days(n: int) -> str:
    return str(timezone.localdate() + timezone.timedelta(days=n))


@pytest.fixture
def owned(settings, api, django_capture_on_commit_callbacks) -> dict:
    """One of each object in the owner's shop, made through the owner's API."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    now = timezone.now()
    dates = {
        "placed_at": (now - timezone.timedelta(days=4)).isoformat(),
        "shipped_at": (now - timezone.timedelta(days=3)).isoformat(),
        "delivered_at": (now - timezone.timedelta(days=2)).isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        hook = api.post(
            "/api/v1/webhooks/",
            {"url": "http://127.0.0.1:9/hook", "events": ["return.requested"]},
            format="json",
        ).json()
        order = api.post("/api/v1/orders/", order_payload("1001", **dates), format="json").json()
        line = order["lines"][0]["id"]
        rma = api.post(
            "/api/v1/returns/",
            {
                "order": "1001",
                "case_type": "return",
                "resolution": "refund",
                "method": "drop_off",
                "lines": [{"order_line": line, "quantity": 1, "reason": "too_small"}],
            },
            format="json",
        ).json()["rma"]
    voucher = api.post(
        "/api/v1/vouchers/",
        {
            "amount": "25.00",
            "currency": "EUR",
            "description": "Goodwill",
            "valid_from": days(0),
            "expires_at": days(365),
        },
        format="json",
    ).json()
    redemption = api.post(
        f"/api/v1/vouchers/{voucher['code']}/redemptions/",
        {"amount": "5.00", "reference": "POS-1"},
        format="json",
    ).json()
    note = api.post(
        "/api/v1/credit-notes/",
        {
            "order": "1001",
            "reason": "goodwill",
            "description": "Late",
            "amount": "10.00",
            "payout": {"method": "voucher"},
        },
        format="json",
    ).json()
    # The owner's payment set-up: a provider key and refund settings.
    payments = api.put(
        "/api/v1/settings/payments/",
        {
            "accounts": [{"provider": "mollie", "api_key": OWNER_MOLLIE_KEY}],
            "default_provider": "mollie",
            "voucher_validity_days": 90,
        },
        format="json",
    )
    assert payments.status_code == 200, payments.json()
    # A channel of the owner's only (both shops start with "webshop").
    channel = api.post("/api/v1/channels/", {"code": "bol", "name": "Bol"}, format="json").json()
    deliveries = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()["results"]
    return {
        "number": "1001",
        "rma": rma,
        "code": voucher["code"],
        "entry_id": redemption["entry"]["id"],
        "credit_note_id": note["id"],
        "subscription_id": hook["id"],
        "delivery_id": deliveries[0]["id"],
        "channel": channel["code"],
    }


def fill(route: str, values: dict) -> str:
    import re

    def value(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"add a value for <{name}> of {route} to the owned fixture"
        return str(values[name])

    return "/" + re.sub(r"<([^>]+)>", value, route)


def test_the_route_list_is_the_whole_api():
    routes = dict(api_routes())
    assert "api/v1/returns/<str:rma>/" in routes
    assert "api/v1/vouchers/<str:code>/redemptions/<int:entry_id>/reversal/" in routes
    assert len(routes) >= 15


def test_another_shops_key_gets_404_everywhere_and_nothing_changes(
    tenant, owned, outsider_api, api
):
    before = every_row(tenant)
    tried = []
    for route, methods in api_routes():
        url = fill(route, owned)
        for method in methods:
            response = getattr(outsider_api, method)(url, {}, format="json")
            tried.append((method.upper(), url))
            assert response.status_code == 404, (method, url, response.status_code)
            if response.get("Content-Type", "").startswith("application/json"):
                # The same answer as for an object that does not exist at all.
                assert response.json()["code"] in NOT_FOUND_CODES, (method, url)
    assert every_row(tenant) == before
    assert len(tried) >= 25
    # The owner's own key reaches the same objects (the 404s are not a broken route).
    assert api.get(fill("api/v1/returns/<str:rma>/", owned)).status_code == 200
    assert api.get(fill("api/v1/vouchers/<str:code>/", owned)).status_code == 200


def test_shop_settings_routes_answer_another_shop_with_its_own_settings_only(
    tenant, owned, outsider_api, api
):
    """Settings routes take no id: another shop's key reads and writes its own shop's
    settings, never the owner's (and never sees the owner's key, even masked)."""
    settings_routes = [
        (route, callback)
        for route, callback in _all_api_views()
        if route.startswith("api/v1/settings/") and "<" not in route
    ]
    assert "api/v1/settings/payments/" in {route for route, _ in settings_routes}
    before = every_row(tenant)
    for route, view in settings_routes:
        for method in [m for m in METHODS if hasattr(view, m)]:
            answer = getattr(outsider_api, method)("/" + route, {}, format="json")
            assert answer.status_code < 500, (method, route, answer.status_code)
            assert OWNER_MOLLIE_KEY[-4:] not in answer.content.decode(), (method, route)
    assert every_row(tenant) == before
    outsiders = outsider_api.get("/api/v1/settings/payments/").json()
    assert outsiders["accounts"] == [] and outsiders["default_provider"] == "manual"
    owners = api.get("/api/v1/settings/payments/").json()["accounts"]
    assert owners[0]["api_key"] == f"live_…{OWNER_MOLLIE_KEY[-4:]}"


def _all_api_views():
    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "cls", None):
                yield route, pattern.callback.cls

    return list(walk(get_resolver()))
