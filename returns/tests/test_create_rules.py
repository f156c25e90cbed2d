"""Rules of a new request that the returns service applies for every interface: a
cancelled order has nothing to return, a complaint shows the problem on a photo, and a
missing item needs no return method (the shop records one)."""

from __future__ import annotations

import base64

import pytest

from orders.models import Order
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing.images import small_png
from testing.orders import create_api_order, order_payload

pytestmark = pytest.mark.django_db


def _payload(order: dict, **values) -> dict:
    line = order["lines"][0]["id"]
    return {
        "order": order["number"],
        "case_type": "return",
        "resolution": "refund",
        "method": "drop_off",
        "lines": [{"order_line": line, "quantity": 1, "reason": "too_small"}],
        **values,
    }


def _count(tenant) -> int:
    with tenant_context(tenant):
        return ReturnRequest.objects.count()


def test_the_api_refuses_a_return_of_a_cancelled_order(api, tenant):
    order = api.post(
        "/api/v1/orders/",
        order_payload("2001", shipped_at=None, delivered_at=None),
        format="json",
    ).json()
    cancelled = api.post(
        "/api/v1/orders/2001/events/", {"type": "cancelled", "reason": "Sold out"}, format="json"
    )
    assert cancelled.status_code == 201, cancelled.json()
    response = api.post("/api/v1/returns/", _payload(order), format="json")
    assert response.status_code == 422, response.json()
    assert (response.json()["code"], response.json()["field"]) == ("order_cancelled", "order")
    assert _count(tenant) == 0


def test_the_api_refuses_a_complaint_without_a_photo(api, tenant):
    order = create_api_order(api, "2002")
    response = api.post("/api/v1/returns/", _payload(order, case_type="complaint"), format="json")
    assert response.status_code == 422, response.json()
    assert (response.json()["code"], response.json()["field"]) == ("photo_required", "attachments")
    assert _count(tenant) == 0


def test_the_api_takes_a_complaint_with_its_photo(api, tenant):
    order = create_api_order(api, "2003")
    photo = {"name": "crack.png", "content": base64.b64encode(small_png()).decode(), "line": 0}
    response = api.post(
        "/api/v1/returns/",
        _payload(order, case_type="complaint", attachments=[photo]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    with tenant_context(tenant):
        created = ReturnRequest.objects.get(rma=response.json()["rma"])
        assert [a.content_type for a in created.attachments.all()] == ["image/png"]


def test_a_pdf_is_not_a_photo_of_the_problem(in_tenant):
    from returns import services
    from returns_platform.errors import DomainError
    from testing.orders import make_order
    from testing.staff import TEST_ACTOR

    order = make_order("2004")
    line = order.lines.first()
    with pytest.raises(DomainError) as refused:
        services.return_request_create(
            order=order,
            case_type="complaint",
            resolution="refund",
            method="drop_off",
            lines=[{"order_line": line.pk, "quantity": 1, "reason_code": "defective"}],
            attachments=[{"name": "invoice.pdf", "file": b"%PDF-1.4\n%%EOF\n"}],
            actor=TEST_ACTOR,
        )
    assert refused.value.code == "photo_required"


def test_the_api_needs_no_method_for_a_missing_item(api, tenant):
    order = create_api_order(api, "2005")
    payload = _payload(order, case_type="missing_item")
    payload.pop("method")
    response = api.post("/api/v1/returns/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["method"] == "own_shipping" or body["method"] in ("in_store", "drop_off")
    with tenant_context(tenant):
        created = ReturnRequest.objects.get(rma=body["rma"])
        assert (created.needs_parcel, created.needs_label, created.return_cost) == (
            False,
            False,
            0,
        )


def test_the_api_ignores_a_method_the_shop_does_not_offer_for_a_missing_item(api, tenant):
    order = create_api_order(api, "2006")
    response = api.post(
        "/api/v1/returns/",
        _payload(order, case_type="missing_item", method="pickup"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["method"] != "pickup"


def test_the_api_still_needs_a_method_when_a_parcel_travels(api, tenant):
    order = create_api_order(api, "2007")
    payload = _payload(order)
    payload.pop("method")
    response = api.post("/api/v1/returns/", payload, format="json")
    assert response.status_code == 422, response.json()
    assert (response.json()["code"], response.json()["field"]) == ("method_required", "method")
    with tenant_context(tenant):
        assert Order.objects.filter(number="2007").exists()
    assert _count(tenant) == 0
