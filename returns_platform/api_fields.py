"""Strict input fields of the API: one spelling for each kind of value.

DRF's own fields are lenient: a DecimalField takes ``"1e3"``, ``" 1.00"`` and full-width
digits, an IntegerField takes ``"5"`` and ``5.0``, a DateTimeField takes a time without
an offset and guesses the zone. Each of these has let a wrong value through somewhere,
so the API accepts:

- amounts as a plain decimal string (``"19.95"``, ``"-3"``: ASCII digits, an optional
  minus and point, no exponent, no spaces) or a JSON integer;
- integers as JSON integers only (not strings, floats or booleans);
- date-times with an explicit offset (``Z`` or ``+01:00``) only.

Amounts are written back by ``AmountOutputField``: a string with exactly the currency's
minor units (``returns_platform.money.amount_text``).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from returns_platform.money import amount_text

PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# What the schema says of an amount: a decimal string with at most three decimals (the
# most any currency has: BHD, KWD, OMR...); the currency's minor units decide how many.
AMOUNT_PATTERN = r"^-?[0-9]+(\.[0-9]{1,3})?$"
AMOUNT_SCHEMA = {
    "type": "string",
    "pattern": AMOUNT_PATTERN,
    "example": "19.95",
    "description": "A decimal string with the currency's minor units (2 for EUR, "
    "0 for JPY, 3 for BHD, KWD and OMR).",
}


class AmountField(serializers.DecimalField):
    default_error_messages = {
        "invalid": 'Write amounts as a plain decimal string such as "19.95".',
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        if isinstance(data, str) and not PLAIN_DECIMAL.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(str(data))


@extend_schema_field(AMOUNT_SCHEMA)
class AmountOutputField(serializers.Field):
    """An amount written with exactly its currency's minor units ("12.50" EUR, "1200" JPY,
    "1.250" BHD), read only; null stays null.

    ``currency``: the dotted path, from the serialized object, of its currency code
    (``"order.currency"`` for an order's line).
    """

    def __init__(self, *, currency: str = "currency", **kwargs):
        kwargs["read_only"] = True
        self.currency_attrs = currency.split(".")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return super().get_attribute(instance), get_attribute(instance, self.currency_attrs)

    def to_representation(self, value):
        return amount_text(*value)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "Write a whole number as a JSON integer, such as 3."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "naive": "Give the time with its offset, such as 2026-11-01T10:00:00Z or +01:00.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


def decimal_limit(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a column of this precision holds (for totals computed from input)."""
    return Decimal(10 ** (max_digits - decimal_places)) - Decimal(1).scaleb(-decimal_places)
