"""Money: a Decimal amount with an ISO 4217 currency; never a float.

Amounts are rounded to the currency's minor unit with ROUND_HALF_UP (the commercial
rounding European invoices use); see docs/architecture.md. ``amount_text`` is the one way
an amount is written for machines (API, webhooks, exports) and ``format_money`` the one
way it is written for people (pages, back office, mails, PDFs); both write exactly the
currency's minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import get_format

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
COUNTRY_CHOICES = sorted(COUNTRY_CODES)  # one enum (CountryEnum) in the OpenAPI schema

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


_EXPONENTS = {code: Decimal(1).scaleb(-places) for code, places in _MINOR_UNITS.items()}
_CENT = Decimal("0.01")


def amount_text(value: Any, currency: str) -> str | None:
    """``value`` as the API, webhooks and exports write an amount: a plain decimal string
    with exactly the currency's minor units, rounded half up ("12.50" EUR, "1200" JPY,
    "1.250" BHD); None stays None.

    The one spelling of amounts for machines (``format_money`` writes them for people).
    A plain cursor on SQLite gives floats; their text is read, never their binary value.
    """
    if value is None:
        return None
    if type(value) is str:
        text = _column_text(value, _MINOR_UNITS.get(currency, 2))
        if text is not None:
            return text
    if not isinstance(value, Decimal):
        value = Decimal(str(value).strip())
    return format(value.quantize(_EXPONENTS.get(currency, _CENT), rounding=ROUND_HALF_UP), "f")


def _column_text(text: str, places: int) -> str | None:
    """``amount_text`` of an amount column's value as PostgreSQL writes it (``::text``):
    ASCII digits without leading zeros, exactly three decimals, ``-`` before a negative.
    When the places the currency does not have are zeros, rounding changes nothing and
    the answer is the text cut short (``19.950`` EUR is ``19.95``, ``1200.000`` JPY is
    ``1200``, ``1.255`` BHD stays); ``None`` for anything else, which takes the general way.
    The hot read paths read amounts as text for this (no ``Decimal`` built per amount).
    """
    size = len(text)
    if size < 5 or text[-4] != "." or not text.isascii():
        return None
    whole = text[1:-4] if text[0] == "-" else text[:-4]
    if not (whole.isdigit() and text[-3:].isdigit()) or (whole[0] == "0" and len(whole) > 1):
        return None
    if places == 3:
        return text
    if places == 2:
        return text[:-1] if text[-1] == "0" else None
    if places == 0 and text.endswith("000"):
        return text[:-4]
    return None


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


# --- Writing amounts for people ---------------------------------------------------------

# Symbols mails print instead of the code ("€12.50"); other currencies show their code.
SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "PLN": "zł", "SEK": "kr", "DKK": "kr", "NOK": "kr"}


def _grouped(digits: str, separator: str, grouping: int) -> str:
    if not grouping or len(digits) <= grouping:
        return digits
    head = len(digits) % grouping or grouping
    rest = [digits[i : i + grouping] for i in range(head, len(digits), grouping)]
    return separator.join([digits[:head], *rest])


def format_amount(amount: Any, currency: str = "", language: str | None = None) -> str:
    """``amount`` as a number in ``language`` (default: the active one), with exactly the
    currency's minor units: "1,234.56" (en), "1.234,56" (nl, de), "1 234,56" (pl, sv, the
    space a no-break space), "1.235" for JPY, "1.234,560" for KWD in Dutch.

    Separators and grouping are Django's locale formats of the language (for the five
    languages of the platform they agree with CLDR, except that Polish groups a
    four-digit amount too). Without a currency the amount keeps its own decimals; ""
    and None give "", anything that is not a number is returned as it is.
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
        if currency:
            value = quantize(value, currency.upper())
    except (InvalidOperation, ValueError):
        return str(amount)
    language = language or translation.get_language() or "en"
    whole, _, fraction = f"{abs(value):f}".partition(".")
    number = _grouped(
        whole,
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        int(get_format("NUMBER_GROUPING", language, use_l10n=True) or 0),
    )
    if fraction:
        number += get_format("DECIMAL_SEPARATOR", language, use_l10n=True) + fraction
    return f"-{number}" if value < 0 else number


def format_money(
    amount: Any, currency: str, language: str | None = None, *, symbol: bool = False
) -> str:
    """``amount`` with its currency in ``language``: "1.234,56 EUR" on pages and documents.

    With ``symbol`` (the mails' prose) a currency in ``SYMBOLS`` is written the way each
    language writes it: "€1,234.56" (en), "€ 1.234,56" (nl), "1.234,56 €" (de),
    "1 234,56 zł" (pl), "1 234,56 kr" (sv); a symbol of more than one letter always
    follows the number, and a currency without a symbol is written as its code.
    """
    number = format_amount(amount, currency, language)
    currency = (currency or "").upper()
    if not number or not currency:
        return number
    if not symbol or currency not in SYMBOLS:
        return f"{number} {currency}"
    mark = SYMBOLS[currency]
    language = language or translation.get_language() or "en"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    if len(mark) == 1 and language.startswith("en"):
        return f"{sign}{mark}{digits}"
    if len(mark) == 1 and language.startswith("nl"):
        return f"{sign}{mark} {digits}"
    return f"{sign}{digits} {mark}"
