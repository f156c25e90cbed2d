"""Exchanges as new orders: the replacement chosen from the line's variants, the order
created on completion (or on approval when the shop ships first), the price difference."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from credits.models import CreditNote, ReturnResolution
from orders.models import Order
from returns.policy import return_policy_update
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from testing.credits import STAFF, receive_as_new
from testing.orders import order_payload
from testing.staff import add_staff, client_for

pytestmark = pytest.mark.django_db
VARIANTS = [
    {"sku": "TSHIRT-L", "name": "T-shirt L", "unit_price": "19.95", "available": True},
    {"sku": "TSHIRT-L-PREMIUM", "name": "T-shirt L premium", "unit_price": "24.95"},
    {"sku": "TSHIRT-S-SALE", "name": "T-shirt S (sale)", "unit_price": "14.95"},
    {"sku": "TSHIRT-XL", "name": "T-shirt XL", "unit_price": "19.95", "available": False},
]


def order_with_variants(api, number="6001"):
    now = timezone.now()
    payload = order_payload(
        number,
        placed_at=(now - timezone.timedelta(days=4)).isoformat(),
        shipped_at=(now - timezone.timedelta(days=3)).isoformat(),
        delivered_at=(now - timezone.timedelta(days=2)).isoformat(),
    )
    payload["lines"][0]["variants"] = VARIANTS
    response = api.post("/api/v1/orders/", payload, format="json")
    assert response.status_code in (200, 201), response.json()
    return api.get(f"/api/v1/orders/{number}/").json()


def exchange(api, order, sku, quantity=2):
    return api.post(
        "/api/v1/returns/",
        {
            "order": order["number"],
            "resolution": "exchange",
            "method": "drop_off",
            "lines": [
                {
                    "order_line": order["lines"][0]["id"],
                    "quantity": quantity,
                    "reason": "too_small",
                    "exchange_sku": sku,
                }
            ],
        },
        format="json",
    )


def complete(api, rma):
    api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "approved"}, format="json")
    line = api.get(f"/api/v1/returns/{rma}/").json()["lines"][0]
    booked = receive_as_new(api, rma, [line])
    assert booked.status_code == 200, booked.json()
    return api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "completed"}, format="json")


def test_variants_are_part_of_the_order_and_only_available_ones_can_be_chosen(api, tenant):
    order = order_with_variants(api)
    assert [v["sku"] for v in order["lines"][0]["variants"]] == [v["sku"] for v in VARIANTS]
    for sku in ("TSHIRT-XL", "NOPE"):
        refused = exchange(api, order, sku)
        assert refused.status_code == 422
        assert refused.json()["code"] == "unknown_variant"
        assert refused.json()["field"] == "lines[0].exchange_sku"
    refund = api.post(
        "/api/v1/returns/",
        {
            "order": order["number"],
            "resolution": "refund",
            "method": "drop_off",
            "lines": [
                {
                    "order_line": order["lines"][0]["id"],
                    "quantity": 1,
                    "reason": "too_small",
                    "exchange_sku": "TSHIRT-L",
                }
            ],
        },
        format="json",
    )
    assert refund.json()["code"] == "not_an_exchange"


def test_completing_an_exchange_creates_the_order_and_asks_for_the_difference(
    api, tenant, published, settings
):
    from notifications.models import OutboxMessage
    from notifications.services import webhook_subscription_create

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with tenant_context(tenant):
        webhook_subscription_create(
            url="http://127.0.0.1:8141/hooks", events=["order.exchange_created"], actor=STAFF
        )
    order = order_with_variants(api)
    created = exchange(api, order, "TSHIRT-L-PREMIUM")
    assert created.status_code == 201, created.json()
    rma = created.json()["rma"]
    line = created.json()["lines"][0]
    assert (line["exchange_sku"], line["exchange_unit_price"]) == ("TSHIRT-L-PREMIUM", "24.95")
    assert complete(api, rma).status_code == 200

    resolution = api.get(f"/api/v1/returns/{rma}/resolution/").json()
    assert resolution["outcome"] == "exchange"
    exchange_order = resolution["exchange_order"]
    assert exchange_order["number"] == f"{rma}-X"
    assert exchange_order["price_difference"] == "10.00"  # 2 x (24.95 - 19.95)
    detail = api.get(f"/api/v1/orders/{rma}-X/").json()
    assert (detail["kind"], detail["exchange_for"], detail["total"]) == ("exchange", rma, "39.90")
    assert [(x["sku"], x["quantity"], x["unit_price"]) for x in detail["lines"]] == [
        ("TSHIRT-L-PREMIUM", 2, "19.95")
    ]
    assert detail["shipping_address"]["postcode"] == "1012 AB"
    names = [event.name for event in published]
    assert names.count("order.exchange_created") == 1
    with tenant_context(tenant):
        hook = OutboxMessage.objects.get(kind="webhook", event="order.exchange_created")
    assert hook.payload["data"]["number"] == f"{rma}-X"
    assert hook.payload["data"]["exchange_for"] == rma
    with tenant_context(tenant):
        assert not CreditNote.objects.exists()

    # The shop fills in the payment link for the difference with the order upsert.
    payload = order_payload(f"{rma}-X", placed_at=detail["placed_at"], shipped_at=None)
    payload["delivered_at"] = None
    payload["lines"] = [
        {
            "sku": "TSHIRT-L-PREMIUM",
            "name": "T-shirt L premium",
            "quantity": 2,
            "unit_price": "19.95",
            "tax_rate": "21.00",
        }
    ]
    payload["delivery_cost"] = "0.00"
    payload["payment_link"] = "https://pay.example/difference/42"
    assert api.post("/api/v1/orders/", payload, format="json").status_code in (200, 201)
    again = api.get(f"/api/v1/returns/{rma}/resolution/").json()["exchange_order"]
    assert again["payment_link"] == "https://pay.example/difference/42"
    with tenant_context(tenant):
        kept = Order.objects.get(number=f"{rma}-X")
    assert (kept.kind, kept.exchange_for) == ("exchange", rma)


def test_a_cheaper_replacement_refunds_the_difference(api, tenant):
    order = order_with_variants(api)
    rma = exchange(api, order, "TSHIRT-S-SALE").json()["rma"]
    assert complete(api, rma).status_code == 200
    resolution = api.get(f"/api/v1/returns/{rma}/resolution/").json()
    assert resolution["exchange_order"]["price_difference"] == "-10.00"
    assert resolution["amount"] == "10.00"
    assert resolution["credit_note"]["status"] == "booked"
    assert resolution["refund"]["amount"] == "10.00"


def test_shipping_first_creates_the_order_on_approval(api, tenant):
    with tenant_context(tenant):
        return_policy_update(changes={"exchange_ships_first": True}, actor=STAFF)
    order = order_with_variants(api)
    rma = exchange(api, order, "TSHIRT-L").json()["rma"]
    approved = api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "approved"}, format="json")
    assert approved.status_code == 200
    assert api.get(f"/api/v1/orders/{rma}-X/").json()["kind"] == "exchange"
    assert complete(api, rma).status_code == 200
    with tenant_context(tenant):
        assert Order.objects.filter(kind="exchange").count() == 1
        resolution = ReturnResolution.objects.get(rma=rma)
        assert resolution.exchange_order.number == f"{rma}-X"


def test_back_office_shows_the_exchange_order(api, tenant):
    order = order_with_variants(api)
    rma = exchange(api, order, "TSHIRT-L").json()["rma"]
    complete(api, rma)
    staff = client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))
    resolve = staff.get(f"/backoffice/credits/returns/{rma}/resolve/").content.decode()
    assert f"{rma}-X" in resolve
    page = staff.get(f"/backoffice/orders/{rma}-X/").content.decode()
    assert rma in page and "TSHIRT-L" in page
    assert Decimal("0") == Decimal(
        api.get(f"/api/v1/returns/{rma}/resolution/").json()["exchange_order"]["price_difference"]
    )
