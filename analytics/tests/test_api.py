"""GET /api/v1/analytics/returns/ and returns.csv against the hand-counted shop."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PERIOD = "from=2026-10-01&to=2026-10-10"


def test_json_has_every_field_with_the_counted_figures(api, counted):  # noqa: F811
    response = api.get(f"/api/v1/analytics/returns/?{PERIOD}")
    assert response.status_code == 200
    assert response.json() == {
        "from": "2026-10-01",
        "to": "2026-10-10",
        "currency": "EUR",
        "orders": 3,
        "units_sold": 9,
        "returns": 3,
        "units_returned": 5,
        "return_rate": "0.5556",
        "reasons": [
            {"code": "size", "label": "Wrong size", "units": 3, "share": "0.6000"},
            {"code": "damaged", "label": "Damaged", "units": 2, "share": "0.4000"},
        ],
        "resolutions": [
            {"resolution": "exchange", "count": 1, "amount": "0.00"},
            {"resolution": "refund", "count": 1, "amount": "100.00"},
            {"resolution": "store_credit", "count": 1, "amount": "63.00"},
        ],
        "refunded": {"currency": "EUR", "amount": "100.00"},
        "by_sku": [
            {
                "sku": "SKU-A",
                "name": "Product SKU-A",
                "units_sold": 3,
                "units_returned": 3,
                "return_rate": "1.0000",
            },
            {
                "sku": "SKU-B",
                "name": "Product SKU-B",
                "units_sold": 3,
                "units_returned": 1,
                "return_rate": "0.3333",
            },
            {
                "sku": "SKU-C",
                "name": "Product SKU-C",
                "units_sold": 3,
                "units_returned": 1,
                "return_rate": "0.3333",
            },
        ],
        "by_category": [
            {"category": "Shirts", "units_sold": 6, "units_returned": 2, "return_rate": "0.3333"},
            {"category": "Shoes", "units_sold": 3, "units_returned": 3, "return_rate": "1.0000"},
        ],
        "days_to_refund": {"median": "5.0", "p90": "5.0"},
        "days_in_transit": [],  # no carrier parcels in the counted shop (test_transit.py)
        "csat": {"responses": 2, "average": "3.50"},
    }


def test_filters_in_the_query(api, counted):  # noqa: F811
    data = api.get(f"/api/v1/analytics/returns/?{PERIOD}&channel=market&country=nl").json()
    assert (data["orders"], data["units_sold"], data["units_returned"], data["return_rate"]) == (
        1,
        2,
        1,
        "0.5000",
    )
    sku = api.get(f"/api/v1/analytics/returns/?{PERIOD}&sku=SKU-B").json()
    assert [row["sku"] for row in sku["by_sku"]] == ["SKU-B"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=yesterday", "invalid"),
        ("case_type=nonsense", "invalid_choice"),
        ("colour=red", "unknown_field"),
    ],
)
def test_bad_input_is_a_400_with_a_stable_code(api, query, code):
    response = api.get(f"/api/v1/analytics/returns/?{query}")
    assert response.status_code == 400
    assert code in {error["code"] for error in response.json()["errors"]}


@pytest.mark.parametrize("path", ["returns/", "returns.csv"])
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=2026-10-10&to=2026-10-01", "invalid_period"),
        ("from=2020-01-01&to=2026-10-01", "period_too_long"),
        # Valid dates on their own; without `to` the period runs to today.
        ("from=2000-01-01", "period_too_long"),
    ],
)
def test_a_period_the_rules_refuse_is_a_422_with_the_validation_body(api, path, query, code):
    response = api.get(f"/api/v1/analytics/{path}?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["field"] == "from"
    assert [error["code"] for error in body["errors"]] == [code]


def test_csv_has_the_same_rows(api, counted):  # noqa: F811
    response = api.get(f"/api/v1/analytics/returns.csv?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == [
        "section",
        "key",
        "label",
        "value",
        "units_sold",
        "units_returned",
        "return_rate",
        "count",
        "amount",
        "share",
    ]
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    assert by_key[("summary", "orders")][3] == "3"
    assert by_key[("summary", "return_rate")][3] == "0.5556"
    assert by_key[("summary", "refunded")][2:4] == ["EUR", "100.00"]
    assert by_key[("days_to_refund", "median")][3] == "5.0"
    assert by_key[("csat", "average")][3] == "3.50"
    assert by_key[("reason", "size")][2] == "Wrong size"
    assert by_key[("reason", "size")][9] == "0.6000"
    assert by_key[("resolution", "store_credit")][7:9] == ["1", "63.00"]
    assert by_key[("category", "Shoes")][4:7] == ["3", "3", "1.0000"]
    assert by_key[("sku", "SKU-B")][2:7] == ["Product SKU-B", "", "3", "1", "0.3333"]
    assert len(rows) == 1 + 5 + 1 + 2 + 2 + 2 + 3 + 2 + 3


def test_csv_with_decimal_commas(api, counted):  # noqa: F811
    body = api.get(f"/api/v1/analytics/returns.csv?{PERIOD}&decimal=,").content.decode()
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    assert by_key[("summary", "return_rate")][3] == "0,5556"
    assert by_key[("summary", "refunded")][3] == "100,00"


def test_another_shops_key_sees_only_its_own_figures(outsider_api, counted):  # noqa: F811
    data = outsider_api.get(f"/api/v1/analytics/returns/?{PERIOD}").json()
    assert data["orders"] == 0 and data["reasons"] == [] and data["by_sku"] == []
    assert data["refunded"] == {"currency": "EUR", "amount": "0.00"}
    assert data["csat"] == {"responses": 0, "average": None}


def test_no_key_is_refused(client):
    assert client.get("/api/v1/analytics/returns/").status_code in (401, 403)
