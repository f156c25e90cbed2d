"""Order payloads and orders for tests."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.utils.dateparse import parse_datetime

from orders.services import order_upsert
from returns_platform.audit import Actor

BASE_ORDER = {
    "number": "1001",
    "channel": "",
    "email": "jan@example.nl",
    "language": "nl",
    "currency": "EUR",
    "customer": {"name": "Jan Jansen", "phone": "+31612345678"},
    "shipping_address": {
        "name": "Jan Jansen",
        "street": "Kerkstraat 1",
        "postcode": "1012 AB",
        "city": "Amsterdam",
        "country": "NL",
    },
    "placed_at": "2026-11-01T10:00:00Z",
    "shipped_at": "2026-11-02T10:00:00Z",
    "delivered_at": "2026-11-03T10:00:00Z",
    "carrier": "postnl",
    "tracking_number": "3SABC123",
    "delivery_cost": "4.95",
    "lines": [
        {
            "sku": "TSHIRT-M",
            "name": "T-shirt M",
            "category": "shirts",
            "quantity": 2,
            "unit_price": "19.95",
            "tax_rate": "21.00",
            "returnable": True,
        },
        {
            "sku": "JEANS-32",
            "name": "Jeans 32",
            "category": "trousers",
            "quantity": 1,
            "unit_price": "69.95",
            "tax_rate": "21.00",
            "returnable": True,
        },
    ],
}


def order_payload(number: str = "1001", lines: int | None = None, **overrides) -> dict:
    payload = copy.deepcopy(BASE_ORDER)
    payload["number"] = number
    if lines is not None:
        payload["lines"] = [
            {
                "sku": f"SKU-{index}",
                "name": f"Item {index}",
                "category": "misc",
                "quantity": 1,
                "unit_price": "10.00",
                "tax_rate": "21.00",
                "returnable": True,
            }
            for index in range(lines)
        ]
    payload.update(overrides)
    return payload


def service_data(payload: dict) -> dict:
    """A payload as the serializer hands it to the service."""
    data = copy.deepcopy(payload)
    address = data.pop("shipping_address")
    data.update(
        {
            "shipping_name": address["name"],
            "shipping_street": address["street"],
            "shipping_postcode": address["postcode"],
            "shipping_city": address["city"],
            "shipping_country": address["country"],
        }
    )
    customer = data.get("customer") or {}
    data["company"] = customer.get("company", "")
    data["vat_id"] = customer.get("vat_id", "").upper()
    for name in ("placed_at", "shipped_at", "delivered_at"):
        data[name] = parse_datetime(data[name]) if data.get(name) else None
    data["delivery_cost"] = Decimal(data["delivery_cost"])
    for line in data["lines"]:
        line["unit_price"] = Decimal(line["unit_price"])
        line["tax_rate"] = Decimal(line["tax_rate"])
    return data


def create_order(number: str = "1001", lines: int | None = None, **overrides):
    """Create an order in the current tenant through the service."""
    order, _ = order_upsert(
        data=service_data(order_payload(number, lines, **overrides)), actor=Actor.system("test")
    )
    return order
