"""Three actors: owner and colleague see the shop's returns; the outsider gets 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from returns.models import ReturnLine, ReturnRequest
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.orders import create_order
from testing.returns import file_return


def dates() -> dict:
    now = timezone.now()
    return {
        "placed_at": (now - timezone.timedelta(days=4)).isoformat(),
        "shipped_at": (now - timezone.timedelta(days=3)).isoformat(),
        "delivered_at": (now - timezone.timedelta(days=2)).isoformat(),
    }


@pytest.fixture
def owned(tenant, other_tenant):
    """Returns in both shops: R-000001 exists in both, R-000002 only in the owner's."""
    with tenant_context(tenant):
        order = create_order("1001", email="owner-customer@example.nl", **dates())
        file_return(order)
        return_request = file_return(order)
        line = return_request.lines.get()
    with tenant_context(other_tenant):
        file_return(create_order("7001", email="theirs@example.se", **dates()))
    return {
        "rma": return_request.rma,
        "order": "1001",
        "line": line.pk,
        "order_line": line.order_line_id,
    }


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "requests": list(ReturnRequest.objects.values_list("rma", "status", "assignee_id")),
            "lines": list(ReturnLine.objects.values_list("id", "received_quantity")),
            "events": AuditEvent.objects.count(),
        }


def endpoints(owned: dict) -> list[tuple[str, str, dict | None]]:
    rma, number = owned["rma"], owned["order"]
    receipt = {
        "lines": [
            {
                "line_id": owned["line"],
                "received_quantity": 1,
                "condition": "as_new",
                "disposition": "restock",
            }
        ]
    }
    create = {
        "order": number,
        "resolution": "refund",
        "method": "drop_off",
        "lines": [{"order_line": owned["order_line"], "quantity": 1, "reason": "too_small"}],
    }
    return [
        ("get", f"/api/v1/returns/{rma}/", None),
        ("get", f"/api/v1/returns/{rma}/history/", None),
        ("get", f"/api/v1/orders/{number}/history/", None),
        ("post", f"/api/v1/returns/{rma}/transitions/", {"to": "approved"}),
        ("post", f"/api/v1/returns/{rma}/transitions/", {"to": "cancelled", "reason": "x"}),
        ("post", f"/api/v1/returns/{rma}/receipt/", receipt),
        ("post", "/api/v1/returns/", create),
    ]


def test_outsider_gets_404_everywhere_and_nothing_changes(
    tenant, other_tenant, owned, outsider_api
):
    before = snapshot(tenant), snapshot(other_tenant)
    for method, url, body in endpoints(owned):
        response = getattr(outsider_api, method)(url, body, format="json")
        assert response.status_code == 404, (url, response.status_code, response.json())
        assert response.json()["code"] == "not_found"
    for params in (
        {"q": owned["rma"]},
        {"q": owned["order"]},
        {"q": "owner-customer@example.nl"},
    ):
        results = outsider_api.get("/api/v1/returns/", params).json()["results"]
        # Only the outsider's own R-000001 can match, never the owner's request.
        assert all(item["order"] == "7001" for item in results), params
    assert outsider_api.get("/api/v1/returns/", {"q": "1001"}).json()["results"] == []
    assert (snapshot(tenant), snapshot(other_tenant)) == before


def test_owner_and_colleague_see_the_shops_returns(tenant, owned, api, colleague_api):
    for client in (api, colleague_api):
        response = client.get(f"/api/v1/returns/{owned['rma']}/")
        assert response.status_code == 200
        assert response.json()["order"] == "1001"
        assert client.get(f"/api/v1/orders/{owned['order']}/history/").status_code == 200
        results = client.get("/api/v1/returns/").json()["results"]
        assert [item["order"] for item in results] == ["1001", "1001"]
    response = colleague_api.post(
        f"/api/v1/returns/{owned['rma']}/transitions/", {"to": "approved"}, format="json"
    )
    assert response.status_code == 200


def test_no_key_no_access(owned, client):
    assert client.get("/api/v1/returns/").status_code in (401, 403)
    assert client.get(f"/api/v1/returns/{owned['rma']}/").status_code in (401, 403)
