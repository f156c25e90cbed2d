"""One spelling per kind of value in the API; inputs that would overflow are refused early."""

from __future__ import annotations

import pytest

from credits.models import CreditNote
from orders.models import Order
from returns_platform.tenancy import tenant_context


def _order(**line_changes) -> dict:
    line = {"sku": "A", "name": "A", "quantity": 1, "unit_price": "10.00", **line_changes}
    return {
        "number": "S-1",
        "email": "jan@example.nl",
        "language": "nl",
        "currency": "EUR",
        "shipping_address": {
            "name": "Jan",
            "street": "Kerkstraat 1",
            "postcode": "1012 AB",
            "city": "Amsterdam",
            "country": "NL",
        },
        "placed_at": "2026-11-01T10:00:00Z",
        "lines": [line],
    }


def _refused(response, field: str, code: str):
    assert response.status_code == 400, response.json()
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert (field, code) in errors, errors


@pytest.mark.parametrize(
    "amount", ["1e3", " 1.00", "1.00 ", "１０.００", "+1.00", "1,00", 10.5, True]
)
def test_amounts_are_plain_decimal_strings(api, tenant, amount):
    response = api.post("/api/v1/orders/", _order(unit_price=amount), format="json")
    _refused(response, "lines[0].unit_price", "invalid")
    with tenant_context(tenant):
        assert not Order.objects.exists()


@pytest.mark.parametrize("amount", ["19.95", "20", 20])
def test_plain_amounts_and_integers_are_accepted(api, amount):
    assert api.post("/api/v1/orders/", _order(unit_price=amount), format="json").status_code == 201


@pytest.mark.parametrize("quantity", ["2", 2.0, True])
def test_quantities_are_json_integers(api, quantity):
    response = api.post("/api/v1/orders/", _order(quantity=quantity), format="json")
    _refused(response, "lines[0].quantity", "invalid")


def test_times_need_an_offset(api):
    payload = {**_order(), "placed_at": "2026-11-01T10:00:00"}
    _refused(api.post("/api/v1/orders/", payload, format="json"), "placed_at", "naive")
    payload["placed_at"] = "2026-11-01T10:00:00+01:00"
    assert api.post("/api/v1/orders/", payload, format="json").status_code == 201


def test_a_credit_note_too_large_to_store_is_refused_not_a_500(api, tenant):
    assert api.post("/api/v1/orders/", _order(), format="json").status_code == 201
    response = api.post(
        "/api/v1/credit-notes/",
        {
            "order": "S-1",
            "reason": "goodwill",
            "lines": [{"description": "Huge", "quantity": 100_000, "unit_amount": "9999999999.99"}],
            "payout": {
                "method": "gift_card",
                "gift_card_provider": "V",
                "gift_card_reference": "G",
            },
        },
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (422, "amount_too_large")
    with tenant_context(tenant):
        assert not CreditNote.objects.exists()
