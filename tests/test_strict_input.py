"""One spelling per kind of value in the API; inputs that would overflow are refused early."""

from __future__ import annotations

import re

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


def test_an_order_total_too_large_to_store_is_refused_not_a_500(api, tenant):
    # Each line fits its columns; together they exceed the total's 14 digits.
    huge = _order(quantity=100_000, unit_price="9999999999.99")
    response = api.post("/api/v1/orders/", huge, format="json")
    assert (response.status_code, response.json()["code"]) == (422, "amount_too_large")
    bulk = api.post("/api/v1/orders/bulk/", {"orders": [huge]}, format="json")
    assert (bulk.status_code, bulk.json()["code"]) == (422, "amount_too_large")
    with tenant_context(tenant):
        assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", 0), ("name", ["A"]), ("sku", {"a": 1}), ("returnable", 0), ("returnable", "yes")],
)
def test_text_is_a_json_string_and_yes_no_a_json_boolean(api, field, value):
    # DRF would read 0 as "0" and "yes" as true; the schema says string and boolean.
    response = api.post("/api/v1/orders/", _order(**{field: value}), format="json")
    _refused(response, f"lines[0].{field}", "invalid")


@pytest.mark.parametrize(
    ("field", "amount"),
    [("unit_price", "00000000000001"), ("unit_price", "-0"), ("tax_rate", "100.01")],
)
def test_amounts_match_the_pattern_the_schema_documents(api, field, amount):
    response = api.post("/api/v1/orders/", _order(**{field: amount}), format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == f"lines[0].{field}"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://shop.example/img/a.jpg", 201),
        ("http://93.184.215.14/a.jpg", 201),
        ("a:b", 400),
        ("https://" + "a" * 64 + ".example/", 400),  # a label longer than 63
        ("https://shop/a.jpg", 400),  # a host without a top-level domain
    ],
)
def test_urls_are_what_the_schema_pattern_says(api, url, status):
    response = api.post("/api/v1/orders/", _order(image_url=url), format="json")
    assert response.status_code == status, response.json()


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=201", "limit=ten", "limit=", "cursor=", "status=", "updated_since="],
)
def test_query_values_out_of_the_schema_are_refused_not_ignored(api, query):
    response = api.get(f"/api/v1/orders/?{query}")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == query.partition("=")[0]


@pytest.mark.parametrize("path", ["/api/v1/channels/", "/api/v1/webhooks/", "/api/v1/vouchers/"])
def test_lists_without_filters_check_limit_and_cursor_too(api, path):
    assert api.get(f"{path}?limit=2").status_code == 200
    for query in ("limit=0", "limit=null", "cursor="):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response.json()["code"] == "validation_error"


def test_a_voucher_code_of_another_shape_is_400_and_a_typo_422(api):
    assert api.get("/api/v1/vouchers/0/").json()["code"] == "invalid_code_format"
    assert api.get("/api/v1/vouchers/0/").status_code == 400
    typo = api.get("/api/v1/vouchers/AAAA-AAAA-AAAA-AAAA-AAAA/")
    assert (typo.status_code, typo.json()["code"]) == (422, "invalid_code_checksum")


@pytest.mark.parametrize("name", ["\x1e", "\u3000 \t", "\x00A"])
def test_text_the_schema_pattern_refuses_the_api_refuses(api, client, name):
    # DRF trims what str.strip() removes (more than JSON Schema's \s) and refuses NUL.
    schema = client.get("/api/schema/?format=json").json()
    pattern = schema["components"]["schemas"]["OrderLineInputRequest"]["properties"]["name"][
        "pattern"
    ]
    assert not re.match(pattern, name)
    response = api.post("/api/v1/orders/", _order(name=name), format="json")
    assert response.status_code == 400
    assert re.match(pattern, "\x1ea ")


def test_a_time_before_1970_is_a_422_and_a_currencys_decimals_too(api, tenant):
    # Valid date-times for the schema; the answer could not write local mean time offsets.
    early = api.post(
        "/api/v1/orders/", {**_order(), "placed_at": "1715-05-24T04:00:00Z"}, format="json"
    )
    assert early.status_code == 422
    assert early.json()["errors"][0] == {
        "field": "placed_at",
        "code": "too_early",
        "message": "Give a time from 1970 on.",
    }
    yen = api.post(
        "/api/v1/orders/", {**_order(unit_price="10.50"), "currency": "JPY"}, format="json"
    )
    assert yen.status_code == 422
    assert yen.json()["errors"][0]["code"] == "invalid_precision"
    with tenant_context(tenant):
        assert not Order.objects.exists()
