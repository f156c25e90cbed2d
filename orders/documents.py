"""The orders API's read documents built as plain dicts (the hot read paths).

``OrderOutput`` stays the declared shape (schema, and the reference a test compares
these documents with, byte for byte); building the dicts directly skips DRF's per-request
field construction and per-field dispatch. Dates and amounts are written as DRF's fields
write them (ISO 8601 in the current time zone with ``Z`` for UTC; amounts with exactly the
currency's minor units, ``returns_platform.money.amount_text``), with the time zone looked
up once per document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, tzinfo
from decimal import Decimal
from typing import Any

import orjson
from django.utils import timezone

from returns_platform.money import amount_text

CENT = Decimal("0.01")
# A two-place column's text as PostgreSQL writes it (``-`` before a negative, no leading zero).
_RATE_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]{2}", re.ASCII)

# Columns of an order row (``values()`` names), in the document's order.
ORDER_COLUMNS = (
    "id",
    "number",
    "kind",
    "exchange_for",
    "payment_link",
    "channel__code",
    "status",
    "email",
    "language",
    "currency",
    "customer_id",
    "customer__name",
    "customer__phone",
    "company",
    "vat_id",
    "shipping_name",
    "shipping_street",
    "shipping_postcode",
    "shipping_city",
    "shipping_country",
    "placed_at",
    "shipped_at",
    "delivered_at",
    "expected_delivery_at",
    "cancelled_at",
    "carrier",
    "tracking_number",
    "invoice_number",
    "delivery_cost",
    "total",
    "created_at",
    "updated_at",
)
LINE_COLUMNS = (
    "id",
    "position",
    "sku",
    "name",
    "category",
    "quantity",
    "unit_price",
    "tax_rate",
    "returnable",
    "image_url",
    "variants",
)


def datetime_text(value: Any, zone: tzinfo | None = None) -> str | None:
    """As DRF's ``DateTimeField`` writes it: ISO 8601 in the current time zone, ``Z`` for UTC.

    ``zone``: the current time zone, when the caller has looked it up once for many values.
    orjson writes the text (half the time of ``isoformat``; the same characters, ``Z`` for
    any zero offset) unless the offset has seconds, which orjson would round to minutes
    (local mean times, before 1973).
    """
    if value is None:
        return None
    if value.tzinfo is None:  # a plain cursor on SQLite: the stored value is UTC
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone or timezone.get_current_timezone())
    offset = local.utcoffset()
    if offset.seconds % 60 or offset.microseconds:
        return local.isoformat()
    return orjson.dumps(local, option=orjson.OPT_UTC_Z)[1:-1].decode()


def rate_text(value: Any) -> str | None:
    """A tax rate (a percentage, not money) as DRF's ``DecimalField(decimal_places=2)``
    writes it."""
    if value is None:
        return None
    if type(value) is str and _RATE_TEXT.fullmatch(value):
        return value  # the column's text (two places, as PostgreSQL writes it): nothing to round
    if not isinstance(value, Decimal):  # a plain cursor on SQLite gives floats
        value = Decimal(str(value).strip())
    return format(value.quantize(CENT), "f")


def line_document(line: Mapping[str, Any], currency: str) -> dict:
    return {
        "id": line["id"],
        "position": line["position"],
        "sku": line["sku"],
        "name": line["name"],
        "category": line["category"],
        "quantity": line["quantity"],
        "unit_price": amount_text(line["unit_price"], currency),
        "tax_rate": rate_text(line["tax_rate"]),
        "returnable": line["returnable"],
        "image_url": line["image_url"],
        "variants": line["variants"],
    }


def order_document(
    order: Mapping[str, Any], lines: Iterable[Mapping[str, Any]], zone: tzinfo | None = None
) -> dict:
    """The ``OrderOutput`` document of an order row (``ORDER_COLUMNS``) and its line rows.

    ``zone``: the current time zone, when a page of documents has looked it up once.
    """
    customer = None
    if order["customer_id"] is not None:
        customer = {
            "name": order["customer__name"],
            "phone": order["customer__phone"],
            "company": order["company"],
            "vat_id": order["vat_id"],
        }
    zone = zone or timezone.get_current_timezone()
    currency = order["currency"]
    return {
        "number": order["number"],
        "kind": order["kind"],
        "exchange_for": order["exchange_for"],
        "payment_link": order["payment_link"],
        "channel": order["channel__code"],
        "status": order["status"],
        "email": order["email"],
        "language": order["language"],
        "currency": currency,
        "customer": customer,
        "shipping_address": {
            "name": order["shipping_name"],
            "street": order["shipping_street"],
            "postcode": order["shipping_postcode"],
            "city": order["shipping_city"],
            "country": order["shipping_country"],
        },
        "placed_at": datetime_text(order["placed_at"], zone),
        "shipped_at": datetime_text(order["shipped_at"], zone),
        "delivered_at": datetime_text(order["delivered_at"], zone),
        "expected_delivery_at": datetime_text(order["expected_delivery_at"], zone),
        "cancelled_at": datetime_text(order["cancelled_at"], zone),
        "carrier": order["carrier"],
        "tracking_number": order["tracking_number"],
        "invoice_number": order["invoice_number"],
        "delivery_cost": amount_text(order["delivery_cost"], currency),
        "total": amount_text(order["total"], currency),
        "lines": [line_document(line, currency) for line in lines],
        "created_at": datetime_text(order["created_at"], zone),
        "updated_at": datetime_text(order["updated_at"], zone),
    }
