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
from datetime import UTC, datetime
from decimal import Decimal

from django.core.validators import RegexValidator
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


def amount_pattern(
    max_digits: int,
    decimal_places: int,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
) -> str:
    """The regular expression (for the OpenAPI schema and the field alike) of a plain
    decimal that fits the column and the bounds: no minus when ``min_value`` is not
    negative, not zero when it is positive, at most ``max_value`` when that is a power of
    ten (the only bounds the API has besides the column's)."""
    whole = max_digits - decimal_places
    sign = "-?" if min_value is None or min_value < 0 else ""
    fraction = f"(?:\\.[0-9]{{1,{decimal_places}}})?" if decimal_places else ""
    number = f"[0-9]{{1,{whole}}}{fraction}"
    if max_value is not None:
        exponent = max_value.normalize().as_tuple().exponent
        digits = len(str(int(max_value))) - 1
        if exponent < 0 or max_value != Decimal(10) ** digits:
            raise ValueError(f"max_value {max_value} is not a power of ten")
        zeros = f"(?:\\.0{{1,{decimal_places}}})?" if decimal_places else ""
        number = f"(?:[0-9]{{1,{digits}}}{fraction}|{int(max_value)}{zeros})"
    not_zero = "(?!0*(?:\\.0*)?$)" if min_value is not None and min_value > 0 else ""
    return f"^{sign}{not_zero}{number}$"


class AmountField(serializers.DecimalField):
    """A decimal written as a plain string or a JSON integer, within the column's digits
    and the field's bounds; ``pattern`` is what the OpenAPI schema documents."""

    default_error_messages = {
        "invalid": 'Write amounts as a plain decimal string such as "19.95".',
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pattern = amount_pattern(
            self.max_digits, self.decimal_places, self.min_value, self.max_value
        )
        self._pattern = re.compile(self.pattern)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        if isinstance(data, str) and not PLAIN_DECIMAL.fullmatch(data):
            self.fail("invalid")
        value = super().to_internal_value(str(data))
        if not self._pattern.match(str(data)):
            # Not as the schema writes it: a bound it breaks (min_value, max_value) is the
            # clearer refusal; otherwise the spelling (leading zeros beyond the column's
            # width, "-0" where no minus is allowed).
            self.run_validators(value)
            self.fail("invalid")
        return value


# A web address as the API takes it, written so that every address matching it also passes
# Django's URL validator: a host name of two or three labels (at most 191 characters, under
# the 253 allowed), ``localhost``, an IPv4 address or a bracketed IPv6 address in a shape
# that is always valid. The schema documents the same pattern.
_HEX = "[0-9A-Fa-f]{1,4}"
_OCTET = "(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)"
_IPV4 = f"{_OCTET}(?:\\.{_OCTET}){{3}}"
_IPV6 = f"\\[(?:(?:{_HEX}:){{7}}{_HEX}|(?:{_HEX}(?::{_HEX}){{0,5}})?::{_HEX}|::ffff:{_IPV4})\\]"
_HOST_NAME = "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,2}[A-Za-z]{2,63}"
WEB_URL_PATTERN = (
    f"^(?:https?|ftps?)://(?:{_HOST_NAME}|localhost|{_IPV4}|{_IPV6})"
    "(?::[0-9]{1,5})?(?:[/?#]\\S*)?$"
)


class WebUrlField(serializers.URLField):
    """A URL that matches ``WEB_URL_PATTERN`` (and Django's validator)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(
                WEB_URL_PATTERN,
                message="Enter a valid URL.",
                code="invalid",
            )
        )


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


# The earliest time the API takes: before it, European zones had offsets in seconds (local
# mean time, Amsterdam's +00:19:32 until 1937), which no RFC 3339 answer can carry.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


class AwareDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "naive": "Give the time with its offset, such as 2026-11-01T10:00:00Z or +01:00.",
        "too_early": "Give a time from 1970 on.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        moment = super().to_internal_value(value)
        if moment < EARLIEST:
            self.fail("too_early")
        return moment


def decimal_limit(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a column of this precision holds (for totals computed from input)."""
    return Decimal(10 ** (max_digits - decimal_places)) - Decimal(1).scaleb(-decimal_places)
