"""Money: a Decimal amount with an ISO 4217 currency; never a float.

Amounts are rounded to the currency's minor unit with ROUND_HALF_UP (the commercial
rounding European invoices use); see docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pycountry
from django.core.exceptions import ValidationError

# ISO 4217 minor units that differ from 2. Everything else has cents.
_MINOR_UNITS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}
# Funds, precious metals and testing codes are not money a shop refunds.
_NOT_TENDER = {
    "XAG",
    "XAU",
    "XBA",
    "XBB",
    "XBC",
    "XBD",
    "XDR",
    "XPD",
    "XPT",
    "XSU",
    "XTS",
    "XUA",
    "XXX",
    "BOV",
    "CHE",
    "CHW",
    "CLF",
    "COU",
    "MXV",
    "USN",
    "UYI",
    "UYW",
}
CURRENCY_CODES = frozenset(c.alpha_3 for c in pycountry.currencies if c.alpha_3 not in _NOT_TENDER)
COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)

UNKNOWN_CURRENCY = "{value!r} is not an ISO 4217 currency code."
UNKNOWN_COUNTRY = "{value!r} is not an ISO 3166-1 alpha-2 country code."
CURRENCY_MISMATCH = "Cannot combine {left} and {right} amounts."


def validate_currency(value: str) -> None:
    if value not in CURRENCY_CODES:
        raise ValidationError(UNKNOWN_CURRENCY.format(value=value), code="invalid_currency")


def validate_country(value: str) -> None:
    if value not in COUNTRY_CODES:
        raise ValidationError(UNKNOWN_COUNTRY.format(value=value), code="invalid_country")


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's smallest unit, half up."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money amounts are never floats.")
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"{value!r} is not an amount.") from error


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("Money amounts are never floats.")
        object.__setattr__(self, "amount", Decimal(self.amount))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0"), currency)

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(CURRENCY_MISMATCH.format(left=self.currency, right=other.currency))

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("Money amounts are never multiplied by floats.")
        return Money(self.amount * factor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def rounded(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def as_string(self) -> str:
        return str(quantize(self.amount, self.currency))

    def __str__(self) -> str:
        return f"{self.as_string()} {self.currency}"
