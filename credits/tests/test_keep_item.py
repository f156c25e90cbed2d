"""Keep the item: a cheap return is paid on approval, with no label, parcel or receipt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.models import CreditNote, Refund, ReturnResolution
from returns.models import ReturnRequest
from returns.policy import return_policy_update
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from testing.credits import STAFF, recent_order
from testing.staff import add_staff, client_for

pytestmark = pytest.mark.django_db


def keep_below(tenant, amount="25.00", **extra):
    with tenant_context(tenant):
        return_policy_update(changes={"keep_item_below": {"EUR": amount}, **extra}, actor=STAFF)


def file(api, tenant, number="7001", line=0, quantity=1, **extra):
    with tenant_context(tenant):
        order = recent_order(number)
        order_line = order.lines.order_by("position")[line]
    return api.post(
        "/api/v1/returns/",
        {
            "order": number,
            "resolution": "refund",
            "method": "drop_off",
            "lines": [{"order_line": order_line.pk, "quantity": quantity, "reason": "too_small"}],
            **extra,
        },
        format="json",
    )


def test_a_cheap_return_keeps_the_item_and_is_paid_on_approval(api, tenant):
    keep_below(tenant)
    created = file(api, tenant)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["keep_item"] is True
    assert (body["return_cost"], body["refund_total"]) == ("0.00", "19.95")
    rma = body["rma"]
    label = api.get(f"/api/v1/returns/{rma}/label.pdf")
    assert (label.status_code, label.json()["code"]) == (409, "no_parcel")
    line = body["lines"][0]
    receipt = api.post(
        f"/api/v1/returns/{rma}/receipt/",
        {
            "lines": [
                {
                    "line_id": line["id"],
                    "received_quantity": 1,
                    "condition": "as_new",
                    "disposition": "restock",
                }
            ]
        },
        format="json",
    )
    assert (receipt.status_code, receipt.json()["code"]) == (409, "no_parcel")

    approved = api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "approved"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "completed"
    resolution = api.get(f"/api/v1/returns/{rma}/resolution/").json()
    assert (resolution["outcome"], resolution["amount"]) == ("refund", "19.95")
    assert resolution["lines"][0]["amount"] == "19.95"
    with tenant_context(tenant):
        assert Refund.objects.get().amount == Decimal("19.95")
        assert ReturnRequest.objects.get(rma=rma).label_ready_at is None


def test_above_the_threshold_or_an_excluded_category_ships_as_usual(api, tenant):
    keep_below(tenant, keep_item_excluded_categories=["trousers"])
    two_shirts = file(api, tenant, "7002", quantity=2).json()  # 39.90 > 25.00
    assert two_shirts["keep_item"] is False and two_shirts["return_cost"] == "4.95"
    keep_below(tenant, amount="100.00", keep_item_excluded_categories=["trousers"])
    jeans = file(api, tenant, "7003", line=1).json()
    assert jeans["keep_item"] is False


def test_auto_approval_pays_at_once(api, tenant):
    keep_below(tenant, auto_approve=True)
    body = file(api, tenant).json()
    assert body["status"] == "completed"
    with tenant_context(tenant):
        assert CreditNote.objects.get().status == "booked"
        assert ReturnResolution.objects.get().amount == Decimal("19.95")


def test_staff_approve_in_the_back_office_and_the_status_page_says_keep_it(api, tenant, client):
    keep_below(tenant)
    rma = file(api, tenant).json()["rma"]
    staff = client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))
    detail = staff.get(f"/backoffice/requests/{rma}/").content.decode()
    assert 'data-testid="keep-item"' in detail
    staff.post(f"/backoffice/requests/{rma}/transition/", {"to": "approved"})
    with tenant_context(tenant):
        return_request = ReturnRequest.objects.get(rma=rma)
        assert return_request.status == "completed"
        token = return_request.access_token()
    page = client.get(f"/r/acme/s/{token}/").content.decode()
    assert 'data-testid="keep-item"' in page
    assert "label" not in page.lower().split('data-testid="keep-item"')[1][:400]


def test_the_customer_may_decline_the_offer_but_not_take_one_that_is_not_made(api, tenant):
    keep_below(tenant)
    declined = file(api, tenant, keep_item=False)
    assert declined.status_code == 201, declined.json()
    body = declined.json()
    assert body["keep_item"] is False
    assert (body["return_cost"], body["refund_total"]) == ("4.95", "15.00")
    forced = file(api, tenant, number="7002", quantity=2, keep_item=True)  # 39.90 EUR
    assert forced.status_code == 422
    assert (forced.json()["code"], forced.json()["field"]) == ("keep_item_not_offered", "keep_item")
    taken = file(api, tenant, number="7003", keep_item=True)
    assert taken.status_code == 201 and taken.json()["keep_item"] is True
    with tenant_context(tenant):
        assert ReturnRequest.objects.count() == 2
