"""Business customers (B2B): no statutory withdrawal unless the shop grants a window;
complaints and missing items work the same; the company shows in every interface."""

from __future__ import annotations

import pytest
from django.utils import timezone

from returns.models import ReturnRequest
from returns.policy import return_policy_update
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from testing.orders import create_order, order_payload
from testing.portal import make_order
from testing.returns import api_photo
from testing.staff import add_staff, client_for

pytestmark = pytest.mark.django_db
BUSINESS = {"name": "Piet Bakker", "company": "Bakker Bouw B.V.", "vat_id": "nl123456789b01"}


def business_order(tenant, number="5001"):
    return make_order(tenant, number, customer=BUSINESS)


def create_return(api, order, case_type="return"):
    with tenant_context(order.tenant):
        line = order.lines.order_by("position").first()
    return api.post(
        "/api/v1/returns/",
        {
            "order": order.number,
            "case_type": case_type,
            "resolution": "refund",
            "method": "drop_off",
            "lines": [{"order_line": line.pk, "quantity": 1, "reason": "too_small"}],
            "attachments": [api_photo()] if case_type == "complaint" else [],
        },
        format="json",
    )


def test_the_order_api_takes_and_shows_company_and_vat_id(api, tenant):
    now = timezone.now().isoformat()
    payload = order_payload("5002", customer=BUSINESS, placed_at=now, shipped_at=None)
    payload["delivered_at"] = None
    created = api.post("/api/v1/orders/", payload, format="json")
    assert created.status_code in (200, 201), created.json()
    customer = api.get("/api/v1/orders/5002/").json()["customer"]
    assert (customer["company"], customer["vat_id"]) == ("Bakker Bouw B.V.", "NL123456789B01")
    bad = api.post(
        "/api/v1/orders/",
        order_payload("5003", customer={"vat_id": "12"}, placed_at=now),
        format="json",
    )
    assert bad.status_code == 400


def test_a_business_withdrawal_is_refused_with_a_verdict_that_says_why(api, tenant):
    order = business_order(tenant)
    refused = create_return(api, order)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "business_no_withdrawal"
    assert "no statutory right of withdrawal" in body["reason"]
    assert "Bakker Bouw B.V." in body["reason"]
    with tenant_context(tenant):
        assert not ReturnRequest.objects.exists()
    # Complaints and missing items are the shop's to put right for businesses too.
    assert create_return(api, order, case_type="complaint").status_code == 201
    assert create_return(api, order, case_type="missing_item").status_code == 201


def test_the_shop_may_grant_business_returns_with_its_own_window(api, tenant):
    with tenant_context(tenant):
        return_policy_update(changes={"window_days_business": 20}, actor=Actor.system("t"))
    order = business_order(tenant)
    created = create_return(api, order)
    assert created.status_code == 201, created.json()
    window = next(v for v in created.json()["verdicts"] if v["rule"] == "window")
    assert window["outcome"] == "ok" and "20-day window for businesses" in window["reason"]
    with tenant_context(tenant):
        old = create_order("5009", customer=BUSINESS)  # delivered in early November
    late = create_return(api, old)
    assert late.status_code == 422 and late.json()["code"] == "business_no_withdrawal"


def test_a_consumer_order_keeps_the_statutory_window(api, tenant):
    order = make_order(tenant, "5010")
    assert create_return(api, order).status_code == 201


def test_the_portal_explains_and_stops_a_business_withdrawal(client, tenant):
    business_order(tenant)
    client.post("/r/acme/", {"reference": "5001", "identity": "1012AB"})
    client.post("/r/acme/case/", {"case_type": "return"})
    page = client.get("/r/acme/items/").content.decode()
    assert 'data-testid="request-blocked"' in page
    assert "Bakker Bouw B.V." in page
    assert 'class="primary">' not in page.split('data-testid="request-blocked"')[1]


def test_back_office_shows_the_company(api, tenant):
    order = business_order(tenant)
    rma = create_return(api, order, case_type="complaint").json()["rma"]
    staff = client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))
    for path in (f"/backoffice/requests/{rma}/", f"/backoffice/orders/{order.number}/"):
        page = staff.get(path).content.decode()
        assert "Bakker Bouw B.V." in page and "NL123456789B01" in page
