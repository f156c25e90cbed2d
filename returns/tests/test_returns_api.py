"""The returns API end to end, bad input, and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from returns.models import ReturnRequest
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.orders import create_api_order, create_order
from testing.returns import file_return


def recent(days: int) -> str:
    return (timezone.now() - timezone.timedelta(days=days)).isoformat()


def dates() -> dict:
    return {"placed_at": recent(4), "shipped_at": recent(3), "delivered_at": recent(2)}


def test_end_to_end(tenant, api, published):
    order = create_api_order(api)
    shirt, jeans = order["lines"]

    response = api.post(
        "/api/v1/returns/",
        {
            "order": "1001",
            "case_type": "return",
            "resolution": "refund",
            "method": "drop_off",
            "lines": [
                {
                    "order_line": shirt["id"],
                    "quantity": 2,
                    "reason": "too_small",
                    "comment": "tight",
                },
                {"order_line": jeans["id"], "quantity": 1, "reason": "changed_mind"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    rma = created["rma"]
    assert rma == "R-000001"
    assert created["status"] == "requested"
    assert created["allowed_transitions"] == ["concept", "on_hold", "approved", "cancelled"]
    assert [line["quantity"] for line in created["lines"]] == [2, 1]
    assert created["lines"][0]["reason"] == "too_small"
    assert created["warnings"] == []
    assert {v["outcome"] for v in created["verdicts"]} == {"ok"}
    # 39.90 + 69.95 - 4.95 return cost + 4.95 delivery (everything goes back)
    assert created["refund_preview"]["total"] == "109.85"
    assert created["refund_total"] == "109.85"

    for target in ("concept", "approved", "label_created"):
        response = api.post(f"/api/v1/returns/{rma}/transitions/", {"to": target}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target

    shirt_line, jeans_line = created["lines"]
    response = api.post(
        f"/api/v1/returns/{rma}/receipt/",
        {
            "lines": [
                {
                    "line_id": shirt_line["id"],
                    "received_quantity": 1,
                    "condition": "as_new",
                    "disposition": "restock",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "received"
    assert response.json()["lines"][0]["received_quantity"] == 1

    response = api.post(
        f"/api/v1/returns/{rma}/receipt/",
        {
            "lines": [
                {
                    "line_id": shirt_line["id"],
                    "received_quantity": 2,
                    "condition": "opened",
                    "disposition": "restock",
                },
                {
                    "line_id": jeans_line["id"],
                    "received_quantity": 1,
                    "condition": "damaged",
                    "disposition": "refurbish",
                    "accepted_amount": "50.00",
                    "accepted_reason": "Torn seam",
                },
            ],
            "inspected": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "inspected"
    assert [line["accepted_amount"] for line in body["lines"]] == ["39.90", "50.00"]

    response = api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "completed"}, format="json")
    assert response.json()["status"] == "completed"
    assert response.json()["allowed_transitions"] == []

    history = api.get(f"/api/v1/returns/{rma}/history/").json()
    assert [event["action"] for event in history] == [
        "return.requested",
        "return.concept",
        "return.approved",
        "return.label_created",
        "return.receipt",
        "return.received",
        "return.receipt",
        "return.inspected",
        "return.resolved",  # completing executes the refund resolution
        "return.completed",
    ]
    assert history[0]["actor"] == {"kind": "api_key", "label": "test"}
    sequences = [event["sequence"] for event in history]
    assert sequences == sorted(sequences)

    order_history = api.get("/api/v1/orders/1001/history/").json()
    assert [event["action"] for event in order_history][:2] == ["order.created", "return.requested"]
    # The order's history also holds the documents the resolution made, with their author.
    assert [e["action"] for e in order_history if not e["action"].startswith("return.")] == [
        "order.created",
        "credit_note.created",
        "refund.created",
        "credit_note.booked",
    ]
    assert {e["actor"]["kind"] for e in order_history[1:]} <= {"api_key", "system"}

    assert [event.name for event in published] == [
        "order.upserted",
        "return.requested",
        "return.concept",
        "return.approved",
        "return.label_created",
        "return.received",
        "return.inspected",
        "credit_note.booked",
        "return.completed",
    ]
    approved = published[3].data
    assert (approved["rma"], approved["status"], approved["from"]) == (rma, "approved", "concept")
    assert (approved["order_number"], approved["email"], approved["language"]) == (
        "1001",
        "jan@example.nl",
        "nl",
    )
    assert approved["refund_total"] == "109.85" and approved["currency"] == "EUR"

    listed = api.get("/api/v1/returns/", {"status": "completed"}).json()
    assert [item["rma"] for item in listed["results"]] == [rma]
    assert api.get("/api/v1/returns/", {"status": "requested"}).json()["results"] == []


def test_create_is_idempotent_with_a_key(tenant, api):
    order = create_api_order(api)
    body = {
        "order": "1001",
        "resolution": "refund",
        "method": "drop_off",
        "lines": [{"order_line": order["lines"][0]["id"], "quantity": 1, "reason": "too_small"}],
    }
    first = api.post("/api/v1/returns/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    second = api.post("/api/v1/returns/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == second.status_code == 201
    assert first.json()["rma"] == second.json()["rma"]
    with tenant_context(tenant):
        assert ReturnRequest.objects.count() == 1


def state(tenant) -> tuple[int, int]:
    with tenant_context(tenant):
        return ReturnRequest.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("line_change", "body_change", "status", "code"),
    [
        ({"quantity": 0}, {}, 422, "quantity_exceeds_remaining"),
        ({"quantity": 3}, {}, 422, "quantity_exceeds_remaining"),
        ({"reason": "bored"}, {}, 422, "unknown_reason"),
        ({}, {"resolution": "repair"}, 422, "resolution_not_offered"),
        ({"order_line": "other"}, {}, 422, "line_not_in_order"),
        ({}, {"method": "teleport"}, 400, "validation_error"),
        ({"quantity": -1}, {}, 400, "validation_error"),
        ({"quantity": "two"}, {}, 400, "validation_error"),
        ({}, {"order": "9999"}, 404, "not_found"),
        ({}, {"colour": "red"}, 400, "validation_error"),
    ],
)
def test_bad_create_input(tenant, api, line_change, body_change, status, code):
    order = create_api_order(api)
    other = create_api_order(api, "1002")
    line = {"order_line": order["lines"][0]["id"], "quantity": 1, "reason": "too_small"}
    line.update(line_change)
    if line["order_line"] == "other":
        line["order_line"] = other["lines"][0]["id"]
    body = {"order": "1001", "resolution": "refund", "method": "drop_off", "lines": [line]}
    body.update(body_change)
    before = state(tenant)
    response = api.post("/api/v1/returns/", body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert state(tenant) == before


def test_method_not_offered_for_the_country(tenant, api):
    from returns.models import ReturnPolicy

    order = create_api_order(api)
    with tenant_context(tenant):
        ReturnPolicy.objects.update(methods={"pickup": {"BE": "9.95"}})
    before = state(tenant)
    body = {
        "order": "1001",
        "resolution": "refund",
        "method": "pickup",
        "lines": [{"order_line": order["lines"][0]["id"], "quantity": 1, "reason": "too_small"}],
    }
    response = api.post("/api/v1/returns/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (422, "method_not_offered")
    assert state(tenant) == before


def test_bad_transition_and_receipt_input(tenant, api):
    with tenant_context(tenant):
        return_request = file_return(create_order("1001", **dates()))
        line_id = return_request.lines.get().pk
    rma = return_request.rma
    before = state(tenant)
    cases = [
        (f"/api/v1/returns/{rma}/transitions/", {"to": "teleported"}, 400, "validation_error"),
        (f"/api/v1/returns/{rma}/transitions/", {"to": "cancelled"}, 422, "reason_required"),
        (f"/api/v1/returns/{rma}/transitions/", {"to": "received"}, 409, "invalid_transition"),
        (f"/api/v1/returns/{rma}/transitions/", {}, 400, "validation_error"),
        (
            f"/api/v1/returns/{rma}/receipt/",
            {
                "lines": [
                    {
                        "line_id": 1,
                        "received_quantity": 1,
                        "condition": "meh",
                        "disposition": "restock",
                    }
                ]
            },
            400,
            "validation_error",
        ),
        (
            f"/api/v1/returns/{rma}/receipt/",
            {
                "lines": [
                    {
                        "line_id": line_id,
                        "received_quantity": 1,
                        "condition": "as_new",
                        "disposition": "restock",
                    }
                ]
            },
            409,
            "not_receivable",
        ),
    ]
    for url, body, status, code in cases:
        response = api.post(url, body, format="json")
        assert (response.status_code, response.json()["code"]) == (status, code), (url, body)
    response = api.post("/api/v1/returns/", data="{not json", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "malformed_json")
    response = api.post(
        f"/api/v1/returns/{rma}/transitions/", data='{"to": ', content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "malformed_json")
    assert api.get("/api/v1/returns/", {"status": "lost"}).status_code == 400
    assert state(tenant) == before
    with tenant_context(tenant):
        return_request.refresh_from_db()
        assert return_request.status == "requested"


def test_list_filters(tenant, api):
    with tenant_context(tenant):
        first = file_return(create_order("1001", **dates()))
        second = file_return(
            create_order("1002", email="piet@example.nl", **dates()), case_type="complaint"
        )

    def rmas(**params):
        response = api.get("/api/v1/returns/", params)
        assert response.status_code == 200, response.json()
        return [item["rma"] for item in response.json()["results"]]

    assert rmas() == [second.rma, first.rma]
    assert rmas(case_type="complaint") == [second.rma]
    assert rmas(q="1001") == [first.rma]
    assert rmas(q="PIET@example.nl") == [second.rma]
    assert rmas(q=first.rma.lower()) == [first.rma]
    assert rmas(created_after=recent(1)) == [second.rma, first.rma]
    assert rmas(created_before=recent(1)) == []
    assert rmas(assignee="nobody@acme.example") == []
    assert rmas(channel="webshop") == []
    page = api.get("/api/v1/returns/", {"limit": 1}).json()
    assert [item["rma"] for item in page["results"]] == [second.rma]
    assert [item["rma"] for item in api.get(page["next"]).json()["results"]] == [first.rma]


def _returns(tenant, count: int, lines: int, prefix: str) -> list[str]:
    with tenant_context(tenant):
        rmas = []
        for index in range(count):
            order = create_order(f"{prefix}{index}", lines=lines, **dates())
            rmas.append(file_return(order, quantities=[1] * lines).rma)
        return rmas


def test_list_query_count_does_not_grow_with_page_size_or_lines(
    tenant, api, django_assert_num_queries, settings
):
    rmas = _returns(tenant, 1, 1, "A")
    api.get("/api/v1/returns/")  # the key's last-use stamp is written on first use
    with django_assert_num_queries(LIST_QUERIES):
        assert len(api.get("/api/v1/returns/").json()["results"]) == 1
    rmas += _returns(tenant, 12, 6, "B")
    if connection.vendor == "postgresql":
        # New requests on the page: their versions, then the page with its lines; then
        # the documents are kept and the versions are the one statement.
        with django_assert_num_queries(2):
            assert len(api.get("/api/v1/returns/").json()["results"]) == len(rmas)
        settings.API_DOCUMENT_CACHE_SIZE = 0
        with django_assert_num_queries(1):
            assert len(api.get("/api/v1/returns/").json()["results"]) == len(rmas)
        settings.API_DOCUMENT_CACHE_SIZE = 1000
    with django_assert_num_queries(LIST_QUERIES):
        assert len(api.get("/api/v1/returns/").json()["results"]) == len(rmas)


def test_detail_query_count_does_not_grow_with_lines(tenant, api, django_assert_num_queries):
    small = _returns(tenant, 1, 1, "A")[0]
    large = _returns(tenant, 1, 20, "B")[0]
    api.get("/api/v1/returns/")
    with django_assert_num_queries(DETAIL_QUERIES):
        assert len(api.get(f"/api/v1/returns/{small}/").json()["lines"]) == 1
    with django_assert_num_queries(DETAIL_QUERIES):
        assert len(api.get(f"/api/v1/returns/{large}/").json()["lines"]) == 20


# The API key comes from the cache; page of requests (with order, assignee, holder,
# channel) and their lines (with reason): on PostgreSQL one prepared statement (the
# versions of the rows, once the process keeps their documents), on SQLite the page and
# then its lines.
LIST_QUERIES = 1 if connection.vendor == "postgresql" else 2
# One statement: the request with its order, people, channel, lines and feedback, and
# whether it has attachments (read by a second query only when it has).
DETAIL_QUERIES = 1


def test_openapi_schema_describes_the_returns_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        operation["operationId"]
        for path, item in schema["paths"].items()
        if "/returns/" in path or path.endswith("/history/")
        for operation in item.values()
    }
    # Other apps add their own operations under /returns/ (messages, resolution).
    assert operations >= {
        "returns_list",
        "returns_create",
        "returns_retrieve",
        "returns_transitions_create",
        "returns_receipt_create",
        "returns_history",
        "orders_history",
    }


def test_create_query_count_does_not_grow_with_lines(tenant, api):
    """The same number of queries for 1 and for 12 lines (subscribers included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with tenant_context(tenant):
        small = create_order("S1", lines=1, **dates())
        large = create_order("L1", lines=12, **dates())
        warm = create_order("W1", lines=1, **dates())
        line_ids = {
            order.number: [line.pk for line in order.lines.all()] for order in (small, large, warm)
        }

    def create(number: str) -> int:
        body = {
            "order": number,
            "resolution": "refund",
            "method": "drop_off",
            "lines": [
                {"order_line": pk, "quantity": 1, "reason": "too_small"} for pk in line_ids[number]
            ],
        }
        with CaptureQueriesContext(connection) as queries:
            assert api.post("/api/v1/returns/", body, format="json").status_code == 201
        return len(queries.captured_queries)

    create("W1")  # creates the RMA counter row and stamps the key's last use
    assert create("S1") == create("L1")
