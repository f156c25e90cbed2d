"""An order's currency is fixed once money was credited or paid on it.

Found by the money-flow property test: with no return holding a line, re-sending an order
in SEK after a 10.00 EUR credit note was booked was accepted, and the cap on what may
still be credited then added EUR and SEK together.
"""

from __future__ import annotations

import pytest

from orders.models import Order
from returns_platform.tenancy import tenant_context
from testing.dates import recent_dates
from testing.orders import create_api_order, order_payload

pytestmark = pytest.mark.django_db


def _resend(api, currency: str):
    payload = order_payload("1001", **recent_dates(), currency=currency)
    return api.post("/api/v1/orders/", payload, format="json")


@pytest.mark.parametrize("book", [False, True])
def test_a_credit_note_locks_the_orders_currency(api, tenant, book):
    create_api_order(api)
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
    if book:
        assert api.post(f"/api/v1/credit-notes/{note['id']}/book/").status_code == 200

    response = _resend(api, "SEK")

    assert (response.status_code, response.json()["code"]) == (409, "currency_locked")
    assert response.json()["field"] == "currency"
    with tenant_context(tenant):
        assert Order.objects.get(number="1001").currency == "EUR"


def test_an_order_without_money_or_returns_may_change_currency(api, tenant):
    create_api_order(api)
    assert _resend(api, "SEK").status_code == 200
    with tenant_context(tenant):
        assert Order.objects.get(number="1001").currency == "SEK"


def test_a_lower_total_must_still_cover_what_was_credited(api, tenant):
    """2 x 19.95 + 69.95 + 4.95 delivery = 114.80; 100.00 credited: 9.95 shirts would make
    the order 94.80, less than what was paid back, so the upsert is refused."""
    create_api_order(api)
    note = api.post(
        "/api/v1/credit-notes/",
        {
            "order": "1001",
            "reason": "goodwill",
            "description": "Late",
            "amount": "100.00",
            "payout": {"method": "voucher"},
        },
        format="json",
    ).json()
    assert api.post(f"/api/v1/credit-notes/{note['id']}/book/").status_code == 200
    payload = order_payload("1001", **recent_dates())

    payload["lines"][0]["unit_price"] = "9.95"
    refused = api.post("/api/v1/orders/", payload, format="json")
    payload["lines"][0]["unit_price"] = "17.55"  # 110.00: still above what was credited
    accepted = api.post("/api/v1/orders/", payload, format="json")

    assert (refused.status_code, refused.json()["code"]) == (409, "total_below_credited")
    assert refused.json()["credited"] == "100.00"
    assert accepted.status_code == 200, accepted.json()
    with tenant_context(tenant):
        assert str(Order.objects.get(number="1001").total) == "110.00"
