"""The bulk upsert's fast validation gives the serializer's data, and gives up on the rest.

``returns_platform/fastvalidation.py`` answers only for valid input; anything else goes to
``OrderBulkInput``, which produces the errors. So for every valid payload below the two
must agree exactly (values, types, Decimal exponents, key order), and for every invalid
one the fast path must give ``None``.
"""

from __future__ import annotations

import copy

import pytest
from rest_framework import serializers

from orders.serializers import OrderBulkInput
from returns_platform import fastvalidation
from returns_platform.api import StrictSerializer
from testing.orders import order_payload


def _serializer(data: dict):
    serializer = OrderBulkInput(data=data)
    return serializer.validated_data if serializer.is_valid() else None


def _changed(change) -> dict:
    order = order_payload("V-1", lines=3)
    change(order)
    return {"orders": [order, order_payload("V-2", lines=1)]}


def _set(path: str, value):
    def change(order):
        *parents, last = path.split(".")
        target = order
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value

    return change


def _drop(path: str):
    def change(order):
        *parents, last = path.split(".")
        target = order
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


VALID = {
    "as sent by the bench": lambda order: None,
    "no optional fields": lambda order: [
        order.pop(name)
        for name in ("channel", "customer", "shipped_at", "delivered_at", "carrier")
        + ("tracking_number", "delivery_cost")
    ],
    "nulls where allowed": lambda order: order.update(shipped_at=None, delivered_at=None),
    "spaces around text": _set("lines.0.name", "  T-shirt  "),
    "blank category": _set("lines.0.category", "   "),
    "lower-case country": _set("shipping_address.country", "de"),
    "upper-case e-mail": _set("email", "Jan@Example.NL"),
    "business customer": _set(
        "customer", {"name": "B.V.", "company": "Shop B.V.", "vat_id": "nl123456789b01"}
    ),
    "integer amount": _set("lines.1.unit_price", 20),
    "one decimal": _set("delivery_cost", "4.5"),
    "no decimals": _set("lines.0.tax_rate", "9"),
    "offset date": _set("placed_at", "2026-11-01T11:00:00+01:00"),
    "variants": _set(
        "lines.0.variants",
        [
            {"sku": "T-L", "name": "T-shirt L", "unit_price": "19.95"},
            {"sku": "T-S", "name": "T-shirt S", "unit_price": 21, "available": False},
        ],
    ),
    "weight and image": lambda order: order["lines"][0].update(
        weight_grams=250, image_url="https://shop.example/t.png", returnable=False
    ),
    "channel and payment link": lambda order: order.update(
        channel="web", payment_link="https://pay.example/x", invoice_number="INV-1"
    ),
    "address without optional parts": lambda order: order.update(
        shipping_address={"postcode": "1012AB", "country": "NL"}
    ),
    "non-ASCII text": _set("lines.0.name", "Öl-Jacke für Ærø"),
}

INVALID = {
    # DRF's leniencies are refused (the schema says string and boolean), by both paths.
    "number as integer": _set("number", 1001),
    "returnable as string": _set("lines.0.returnable", "true"),
    "returnable as integer": _set("lines.0.returnable", 1),
    "unknown field": _set("colour", "red"),
    "unknown line field": _set("lines.0.colour", "red"),
    "missing e-mail": _drop("email"),
    "missing postcode": _drop("shipping_address.postcode"),
    "null e-mail": _set("email", None),
    "null customer": _set("customer", None),
    "null line": _set("lines", [None]),
    "blank number": _set("number", ""),
    "spaces for a number": _set("number", "   "),
    "number with a space": _set("number", "10 01"),
    "bad e-mail": _set("email", "not-an-email"),
    "unknown language": _set("language", "fr"),
    "unknown currency": _set("currency", "XXX"),
    "lower-case currency": _set("currency", "eur"),
    "bad country": _set("shipping_address.country", "ZZ"),
    "naive date": _set("placed_at", "2026-11-01T10:00:00"),
    "quantity as string": _set("lines.0.quantity", "2"),
    "quantity as float": _set("lines.0.quantity", 2.0),
    "quantity as boolean": _set("lines.0.quantity", True),
    "quantity zero": _set("lines.0.quantity", 0),
    "amount as float": _set("lines.0.unit_price", 19.95),
    "amount with exponent": _set("lines.0.unit_price", "1e3"),
    "amount with spaces": _set("lines.0.unit_price", " 19.95"),
    "negative amount": _set("lines.0.unit_price", "-1.00"),
    "too precise for EUR": _set("lines.0.unit_price", "19.951"),
    "too precise for JPY": lambda order: order.update(currency="JPY"),
    "too many digits": _set("lines.0.unit_price", "12345678901.00"),
    "tax over 100": _set("lines.0.tax_rate", "100.01"),
    "no lines": _set("lines", []),
    "lines not a list": _set("lines", {"sku": "x"}),
    "order not an object": lambda order: order.clear(),
    "customer not an object": _set("customer", "Jan"),
    "too long name": _set("lines.0.name", "x" * 301),
    "NUL in a name": _set("lines.0.name", "T\x00shirt"),
    "bad VAT id": _set("customer", {"vat_id": "1"}),
    "bad image URL": _set("lines.0.image_url", "not a url"),
    "bad channel code": _set("channel", "web shop"),
    "weight zero": _set("lines.0.weight_grams", 0),
}


@pytest.fixture(scope="module")
def fast():
    return fastvalidation.validator(OrderBulkInput())


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_input_gives_the_serializers_data(fast, name):
    data = _changed(VALID[name])
    expected = _serializer(copy.deepcopy(data))
    assert expected is not None, "the case must be valid"
    assert repr(fast(data)) == repr(expected)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_input_is_left_to_the_serializer(fast, name):
    data = _changed(INVALID[name])
    assert _serializer(copy.deepcopy(data)) is None, "the case must be invalid"
    assert fast(data) is None


@pytest.mark.parametrize(
    "data",
    [None, [], "orders", {"orders": []}, {"orders": "x"}, {"orders": [], "extra": 1}, {}],
)
def test_invalid_bodies_are_left_to_the_serializer(fast, data):
    assert _serializer(data) is None
    assert fast(data) is None


def test_too_many_orders_are_left_to_the_serializer(fast, settings):
    count = OrderBulkInput().fields["orders"].max_length
    data = {"orders": [order_payload(f"M-{k}", lines=1) for k in range(count + 1)]}
    assert fast(data) is None


def test_the_input_is_not_changed(fast):
    data = _changed(VALID["lower-case country"])
    before = copy.deepcopy(data)
    fast(data)
    assert data == before


def test_a_serializer_with_an_unmirrored_feature_gets_no_fast_path():
    class WithFieldMethod(StrictSerializer):
        name = serializers.CharField()

        def validate_name(self, value):
            return value.upper()

    class WithOtherField(StrictSerializer):
        ip = serializers.IPAddressField(required=False)
        data = serializers.JSONField()

    for serializer in (WithFieldMethod(), WithOtherField()):
        assert fastvalidation.validator(serializer)({"name": "x", "data": {}}) is None


@pytest.mark.django_db
def test_the_bulk_api_takes_the_fast_path_for_valid_input(tenant, monkeypatch):
    from testing.tenants import api_client_for

    api = api_client_for(tenant)

    def refuse(self, *args, **kwargs):
        raise AssertionError("the serializer validated a valid bulk payload")

    with monkeypatch.context() as patch:
        patch.setattr(OrderBulkInput, "is_valid", refuse)
        response = api.post("/api/v1/orders/bulk/", _changed(VALID["variants"]), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    invalid = api.post("/api/v1/orders/bulk/", _changed(INVALID["too precise for EUR"]), "json")
    assert invalid.status_code == 422  # a currency's decimals: a rule across fields
    assert invalid.json()["code"] == "validation_error"
    assert invalid.json()["errors"][0]["code"] == "invalid_precision"
