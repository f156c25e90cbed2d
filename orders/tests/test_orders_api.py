"""Orders API: upsert, bulk, list, detail, events; isolation, bad input, query counts."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order, OrderEvent, OrderLine
from returns_platform import doccache
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.orders import order_payload

pytestmark = pytest.mark.django_db


def snapshot(tenant) -> dict:
    """Everything of a tenant the API could change."""
    with tenant_context(tenant):
        return {
            "orders": list(Order.objects.order_by("pk").values()),
            "lines": list(OrderLine.objects.order_by("pk").values()),
            "events": list(OrderEvent.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def test_upsert_creates_then_replay_changes_nothing(api, tenant):
    created = api.post("/api/v1/orders/", order_payload(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == "1001"
    assert body["status"] == "delivered"
    assert body["total"] == "114.80"  # 2 x 19.95 + 69.95 + 4.95 delivery
    assert [line["quantity"] for line in body["lines"]] == [2, 1]
    assert all(isinstance(line["id"], int) for line in body["lines"])
    before = snapshot(tenant)

    replay = api.post("/api/v1/orders/", order_payload(), format="json")

    assert replay.status_code == 200
    assert replay.json() == body
    assert snapshot(tenant) == before


def test_upsert_updates_fields_and_keeps_line_ids(api, tenant):
    first = api.post("/api/v1/orders/", order_payload(), format="json").json()
    payload = order_payload()
    payload["lines"][0]["quantity"] = 3
    payload["shipping_address"]["city"] = "Haarlem"

    response = api.post("/api/v1/orders/", payload, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["shipping_address"]["city"] == "Haarlem"
    assert body["lines"][0]["quantity"] == 3
    assert [line["id"] for line in body["lines"]] == [line["id"] for line in first["lines"]]
    assert body["total"] == "134.75"
    with tenant_context(tenant):
        actions = list(
            AuditEvent.objects.filter(subject_type="order").values_list("action", flat=True)
        )
    assert actions == ["order.created", "order.updated"]


def test_get_detail_and_unknown_number(api):
    api.post("/api/v1/orders/", order_payload(), format="json")
    assert api.get("/api/v1/orders/1001/").json()["email"] == "jan@example.nl"
    missing = api.get("/api/v1/orders/9999/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_list_filters_and_cursor_pagination(api):
    for number in range(1, 8):
        api.post(
            "/api/v1/orders/",
            order_payload(f"A{number}", email=f"c{number % 2}@x.nl"),
            format="json",
        )
    page = api.get("/api/v1/orders/?limit=3").json()
    assert [o["number"] for o in page["results"]] == ["A7", "A6", "A5"]
    second = api.get(page["next"]).json()
    assert [o["number"] for o in second["results"]] == ["A4", "A3", "A2"]
    only = api.get("/api/v1/orders/?email=c1@x.nl").json()["results"]
    assert sorted(o["number"] for o in only) == ["A1", "A3", "A5", "A7"]
    assert api.get("/api/v1/orders/?number=A2").json()["results"][0]["number"] == "A2"
    assert api.get("/api/v1/orders/?status=placed").json()["results"] == []
    future = api.get("/api/v1/orders/?updated_since=2999-01-01T00:00:00Z").json()
    assert future["results"] == []
    bad = api.get("/api/v1/orders/?status=lost")
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_events_move_the_order_and_are_recorded(api, tenant):
    api.post("/api/v1/orders/", order_payload(shipped_at=None, delivered_at=None), format="json")
    shipped = api.post(
        "/api/v1/orders/1001/events/",
        {"type": "shipped", "tracking_number": "3SNEW", "carrier": "dhl"},
        format="json",
    )
    assert shipped.status_code == 201, shipped.json()
    delayed = api.post(
        "/api/v1/orders/1001/events/",
        {"type": "delayed", "expected_at": "2026-12-01T12:00:00Z"},
        format="json",
    )
    assert delayed.status_code == 201
    order = api.get("/api/v1/orders/1001/").json()
    assert order["status"] == "delayed"
    assert order["tracking_number"] == "3SNEW"
    assert order["expected_delivery_at"].startswith("2026-12-01")
    listed = api.get("/api/v1/orders/1001/events/").json()
    assert [event["type"] for event in listed] == ["shipped", "delayed"]
    api.post("/api/v1/orders/1001/events/", {"type": "delivered"}, format="json")
    refused = api.post("/api/v1/orders/1001/events/", {"type": "cancelled"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_order_event"
    with tenant_context(tenant):
        assert OrderEvent.objects.count() == 3
        assert AuditEvent.objects.filter(action="order.delivered").count() == 1


def test_delay_needs_a_date(api):
    api.post("/api/v1/orders/", order_payload(shipped_at=None, delivered_at=None), format="json")
    response = api.post("/api/v1/orders/1001/events/", {"type": "delayed"}, format="json")
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == (
        "expected_at_required",
        "expected_at",
    )


# --- Three actors: owner, colleague, outsider -----------------------------------------


def test_outsider_gets_404_and_changes_nothing(api, colleague_api, outsider_api, tenant):
    api.post("/api/v1/orders/", order_payload(), format="json")
    assert colleague_api.get("/api/v1/orders/1001/").status_code == 200
    before = snapshot(tenant)

    assert outsider_api.get("/api/v1/orders/1001/").status_code == 404
    assert outsider_api.get("/api/v1/orders/1001/events/").status_code == 404
    event = outsider_api.post("/api/v1/orders/1001/events/", {"type": "cancelled"}, format="json")
    assert event.status_code == 404 and event.json()["code"] == "not_found"
    assert outsider_api.get("/api/v1/orders/").json()["results"] == []
    assert outsider_api.get("/api/v1/orders/?number=1001").json()["results"] == []
    # Upserting the same number creates the outsider's own order, not a change to ours.
    mine = outsider_api.post("/api/v1/orders/", order_payload(email="other@x.de"), format="json")
    assert mine.status_code == 201
    bulk = outsider_api.post("/api/v1/orders/bulk/", {"orders": [order_payload()]}, format="json")
    assert bulk.status_code == 200 and bulk.json()["updated"] == 1

    assert snapshot(tenant) == before
    assert api.get("/api/v1/orders/1001/").json()["email"] == "jan@example.nl"


# --- Bulk -----------------------------------------------------------------------------


def test_bulk_upsert_reports_outcomes(api):
    api.post("/api/v1/orders/", order_payload("B1"), format="json")
    changed = order_payload("B1", carrier="dhl")
    response = api.post(
        "/api/v1/orders/bulk/",
        {"orders": [changed, order_payload("B2"), order_payload("B3")]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 1, 0)
    again = api.post(
        "/api/v1/orders/bulk/",
        {"orders": [changed, order_payload("B2"), order_payload("B3")]},
        format="json",
    ).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


def _bulk_queries(api, count: int, lines: int, offset: int) -> int:
    payload = {
        "orders": [
            order_payload(f"Q{offset + i}", lines=lines, email=f"q{offset + i}@x.nl")
            for i in range(count)
        ]
    }
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/orders/bulk/", payload, format="json")
    assert response.status_code == 200, response.json()
    return len(queries)


def test_bulk_upsert_query_count_is_bounded(api):
    api.get("/api/v1/orders/")  # the key's last-used time is written once
    small = _bulk_queries(api, count=2, lines=1, offset=0)
    large = _bulk_queries(api, count=60, lines=5, offset=100)
    if connection.vendor == "postgresql":
        assert small == large
    else:  # SQLite caps a statement at 999 parameters: inserts go in a few batches
        assert small <= large <= small + 4
    # channels, lock existing, customers (find, create, re-read), insert orders, insert
    # lines, audit (lock chain, insert, move head), the ``order.upserted`` event's webhook
    # look-up + savepoints; the key comes from the cache
    assert small == 14
    # Updating all of them (lines changed) stays bounded too.
    payload = {
        "orders": [
            order_payload(f"Q{100 + i}", lines=6, email=f"q{100 + i}@x.nl") for i in range(60)
        ]
    }
    with CaptureQueriesContext(connection) as queries:
        assert api.post("/api/v1/orders/bulk/", payload, format="json").status_code == 200
    assert len(queries) <= 17


def test_bulk_refuses_501_orders_and_writes_nothing(api, tenant):
    payload = {"orders": [order_payload(f"X{i}", lines=1) for i in range(501)]}
    response = api.post("/api/v1/orders/bulk/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "orders"
    assert response.json()["errors"][0]["code"] == "max_length"
    with tenant_context(tenant):
        assert Order.objects.count() == 0


def test_bulk_is_all_or_nothing(api, tenant):
    bad = order_payload("Y2", channel="nowhere")
    response = api.post(
        "/api/v1/orders/bulk/", {"orders": [order_payload("Y1"), bad]}, format="json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "unknown_channel",
        "field": "orders[1].channel",
        "message": "Unknown sales channel 'nowhere'.",
    }
    duplicate = api.post(
        "/api/v1/orders/bulk/",
        {"orders": [order_payload("Y1"), order_payload("Y1")]},
        format="json",
    )
    assert duplicate.json()["code"] == "duplicate_number"
    with tenant_context(tenant):
        assert Order.objects.count() == 0


# --- Query counts on list and detail --------------------------------------------------


def _list_queries(api, limit: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/orders/?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == limit
    return len(queries)


def test_list_and_detail_query_counts_are_constant(api, django_assert_num_queries, settings):
    payload = {"orders": [order_payload(f"L{i}", lines=1 + i % 7) for i in range(30)]}
    api.post("/api/v1/orders/bulk/", payload, format="json")
    # The API key comes from the cache. On PostgreSQL a page whose documents the process
    # keeps is one prepared statement (the versions of its rows); otherwise the versions,
    # then the orders with channel, customer and their lines in one more. Without the
    # document cache, that one. On SQLite the page and then its lines.
    if connection.vendor == "postgresql":
        settings.API_DOCUMENT_CACHE_SIZE = 0
        with django_assert_num_queries(1):
            api.get("/api/v1/orders/?limit=2")
        assert _list_queries(api, 2) == _list_queries(api, 25) == 1
        settings.API_DOCUMENT_CACHE_SIZE = 1000
        doccache.documents.clear()
        assert _list_queries(api, 25) == 2
        assert _list_queries(api, 2) == _list_queries(api, 25) == 1
    else:
        with django_assert_num_queries(2):
            api.get("/api/v1/orders/?limit=2")
        assert _list_queries(api, 2) == _list_queries(api, 25) == 2
    # Filtered, the page is a queryset and its lines a second query.
    with django_assert_num_queries(2):
        page = api.get("/api/v1/orders/?updated_since=2000-01-01T00:00:00Z&limit=5").json()
    assert len(page["results"]) == 5
    # A detail is one statement: the order, its channel, customer and lines.
    with django_assert_num_queries(1):
        assert len(api.get("/api/v1/orders/L1/").json()["lines"]) == 2
    with django_assert_num_queries(1):
        assert len(api.get("/api/v1/orders/L6/").json()["lines"]) == 7


# --- Bad input: a clear 4xx, nothing written ------------------------------------------


def _refused(api, tenant, payload, status: int, field: str | None, code: str) -> None:
    response = api.post("/api/v1/orders/", payload, format="json")
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == ("validation_error" if status == 400 else code)
    if field is not None:
        assert body["field"] == field
        assert body["errors"][0]["code"] == code
    with tenant_context(tenant):
        assert Order.objects.count() == 0
        assert AuditEvent.objects.filter(subject_type="order").count() == 0


def test_malformed_json(api, tenant):
    response = api.post("/api/v1/orders/", data='{"number": "1",', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda p: p.pop("email"), "email", "required"),
        (lambda p: p.update(colour="red"), "colour", "unknown_field"),
        (lambda p: p["lines"][0].update(size="M"), "lines[0].size", "unknown_field"),
        (
            lambda p: p["shipping_address"].update(country="XX"),
            "shipping_address.country",
            "invalid_choice",
        ),
        (lambda p: p.update(currency="EURO"), "currency", "invalid_choice"),
        (lambda p: p.update(currency="ABC"), "currency", "invalid_choice"),
        (lambda p: p["lines"][1].update(unit_price="-1.00"), "lines[1].unit_price", "min_value"),
        (lambda p: p["lines"][0].update(quantity=-2), "lines[0].quantity", "min_value"),
        (lambda p: p["lines"][0].update(quantity=0), "lines[0].quantity", "min_value"),
        (lambda p: p["lines"][0].update(quantity="two"), "lines[0].quantity", "invalid"),
        (
            lambda p: p["lines"][0].update(unit_price="19.9999"),
            "lines[0].unit_price",
            "max_decimal_places",
        ),
        (
            lambda p: p.update(currency="BHD", delivery_cost="1.2345"),
            "delivery_cost",
            "max_decimal_places",
        ),
        (lambda p: p["lines"][0].update(unit_price=19.99), "lines[0].unit_price", "invalid"),
        (lambda p: p.update(delivery_cost="-4.95"), "delivery_cost", "min_value"),
        (lambda p: p.update(lines=[]), "lines", "empty"),
        (lambda p: p.update(language="fr"), "language", "invalid_choice"),
        (lambda p: p.update(number="a/b"), "number", "invalid"),
        (lambda p: p.update(placed_at="yesterday"), "placed_at", "invalid"),
    ],
)
def test_bad_order_input_is_refused(api, tenant, change, field, code):
    payload = copy.deepcopy(order_payload())
    change(payload)
    _refused(api, tenant, payload, 400, field, code)


def test_amounts_finer_than_the_currency_are_a_rule_refusal(api, tenant):
    # Each amount matches the schema; its decimals depend on the currency: 422.
    for payload, field in [
        (order_payload(currency="JPY"), "delivery_cost"),
        (order_payload(lines=1), "lines[0].unit_price"),
    ]:
        if field.startswith("lines"):
            payload["lines"][0]["unit_price"] = "19.999"  # EUR has two decimals
        response = api.post("/api/v1/orders/", payload, format="json")
        assert response.status_code == 422, response.json()
        body = response.json()
        assert (body["code"], body["field"]) == ("validation_error", field)
        assert body["errors"][0]["code"] == "invalid_precision"
    with tenant_context(tenant):
        assert not Order.objects.exists()


def test_unknown_channel_is_refused(api, tenant):
    _refused(api, tenant, order_payload(channel="ghost"), 422, None, "unknown_channel")


def test_wrong_types_at_the_top(api, tenant):
    response = api.post("/api/v1/orders/", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    form = api.post(
        "/api/v1/orders/", data="number=1", content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 415
    assert form.json()["code"] == "unsupported_media_type"


# --- Authentication -------------------------------------------------------------------


def test_missing_wrong_and_revoked_keys(api, tenant, client):
    assert client.get("/api/v1/orders/").json()["code"] == "not_authenticated"
    assert client.get("/api/v1/orders/").status_code == 401
    wrong = client.get("/api/v1/orders/", HTTP_AUTHORIZATION="Bearer rp_nope_nope")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_api_key")
    key = api.api_key
    forged = client.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer rp_{key.prefix}_guess")
    assert forged.json()["code"] == "invalid_api_key"
    from returns_platform.audit import Actor
    from tenants.services import api_key_revoke

    with tenant_context(tenant):
        api_key_revoke(api_key=key, actor=Actor.system("test"))
    revoked = api.post("/api/v1/orders/", order_payload(), format="json")
    assert (revoked.status_code, revoked.json()["code"]) == (401, "revoked_api_key")
    with tenant_context(tenant):
        assert Order.objects.count() == 0


# --- Idempotency-Key ------------------------------------------------------------------


def test_idempotency_key_replays_and_refuses_a_different_body(api, tenant):
    headers = {"HTTP_IDEMPOTENCY_KEY": "order-1001-create"}
    first = api.post("/api/v1/orders/", order_payload(), format="json", **headers)
    assert first.status_code == 201
    again = api.post("/api/v1/orders/", order_payload(), format="json", **headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = api.post("/api/v1/orders/", order_payload(carrier="dhl"), format="json", **headers)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    with tenant_context(tenant):
        assert Order.objects.get().carrier == "postnl"


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/orders/",
        "/api/v1/orders/bulk/",
        "/api/v1/orders/{number}/",
        "/api/v1/orders/{number}/events/",
    ):
        assert path in paths
    assert client.get("/api/docs/").status_code == 200
