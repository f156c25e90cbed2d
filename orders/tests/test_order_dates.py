"""The order date rules live in the orders service: every interface applies them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, OrderEvent
from orders.services import order_event_record
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from testing.orders import make_order, order_payload, service_data
from testing.staff import TEST_ACTOR, client_for

pytestmark = pytest.mark.django_db


def _placed_only(tenant, number: str = "1003") -> Order:
    with tenant_context(tenant):
        return make_order(
            number, shipped_at=None, delivered_at=None, placed_at=timezone.now().isoformat()
        )


def test_the_service_refuses_a_delay_without_a_date(tenant):
    order = _placed_only(tenant)
    with tenant_context(tenant), pytest.raises(DomainError) as refused:
        order_event_record(order=order, event_type="delayed", actor=TEST_ACTOR, expected_at=None)
    assert (refused.value.code, refused.value.field) == ("expected_at_required", "expected_at")
    with tenant_context(tenant):
        assert Order.objects.get(pk=order.pk).status == "placed"
        assert not OrderEvent.objects.exists()


def test_the_service_refuses_a_delivery_before_the_order_was_placed(tenant):
    from orders.services import order_upsert

    payload = order_payload(
        "1004", placed_at="2026-11-02T10:00:00Z", delivered_at="2026-11-01T10:00:00Z"
    )
    with tenant_context(tenant), pytest.raises(DomainError) as refused:
        order_upsert(data=service_data(payload), actor=TEST_ACTOR)
    assert (refused.value.code, refused.value.field) == ("invalid_date", "delivered_at")
    with tenant_context(tenant):
        assert not Order.objects.filter(number="1004").exists()


def test_the_api_refuses_a_delay_into_the_past(api, tenant):
    _placed_only(tenant)
    yesterday = (timezone.now() - timedelta(days=2)).isoformat()
    response = api.post(
        "/api/v1/orders/1003/events/", {"type": "delayed", "expected_at": yesterday}, format="json"
    )
    assert response.status_code == 422, response.json()
    assert (response.json()["code"], response.json()["field"]) == (
        "expected_in_past",
        "expected_at",
    )
    with tenant_context(tenant):
        assert Order.objects.get(number="1003").status == "placed"


def test_the_api_refuses_shipping_before_placing(api, tenant):
    payload = order_payload(placed_at="2026-11-02T10:00:00Z", shipped_at="2026-11-01T10:00:00Z")
    response = api.post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid_date", "shipped_at")
    with tenant_context(tenant):
        assert not Order.objects.filter(number="1001").exists()


def test_the_back_office_refuses_a_delay_into_the_past(tenant, agent):
    _placed_only(tenant)
    past = timezone.localdate() - timedelta(days=1)
    page = client_for(agent).post(
        "/backoffice/orders/1003/delay/", {"expected_at": past.isoformat()}, follow=True
    )
    assert "cannot be in the past" in page.content.decode()
    with tenant_context(tenant):
        assert Order.objects.get(number="1003").status == "placed"
