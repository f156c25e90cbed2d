"""Small helpers the credits services share."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

from credits.models import AMOUNT
from returns_platform.api_fields import decimal_limit
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.money import CURRENCY_CODES, minor_units, quantize

# The largest value of the amount columns (credits.models.AMOUNT: 14 digits, 2 places).
AMOUNT_LIMIT = decimal_limit(AMOUNT["max_digits"], AMOUNT["decimal_places"])
INVALID_AMOUNT = gettext_noop("The amount must be greater than zero.")
AMOUNT_TOO_LARGE = gettext_noop("The amount is larger than {limit} can be.")
INVALID_PRECISION = gettext_noop("{currency} amounts have {places} decimal places.")
UNKNOWN_CURRENCY = gettext_noop("{currency!r} is not an ISO 4217 currency code.")
CURRENCY_MISMATCH = gettext_noop("This {subject} is in {expected}, not {given}.")


def actor_key(actor: Actor) -> str:
    """Who an actor is, for comparisons (four-eyes) and ledger lines: ``kind:id``."""
    return f"{actor.kind}:{actor.id}"


def actor_user_id(actor: Actor) -> int | None:
    if actor.kind == "staff" and actor.id.isdigit():
        return int(actor.id)
    return None


def require_positive_amount(amount: Decimal, currency: str, *, field: str = "amount") -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError("Amounts are Decimals.")
    if not amount.is_finite() or amount <= 0:
        raise DomainError(INVALID_AMOUNT, code="invalid_amount", field=field)
    require_storable(amount, field=field)
    require_precision(amount, currency, field=field)
    return amount


def require_storable(amount: Decimal, *, field: str = "amount") -> Decimal:
    """Refuse an amount (or a total computed from input) that no amount column can hold,
    before the database would answer with a numeric overflow."""
    if abs(amount) > AMOUNT_LIMIT:
        raise DomainError(
            AMOUNT_TOO_LARGE.format(limit=AMOUNT_LIMIT), code="amount_too_large", field=field
        )
    return amount


def require_precision(amount: Decimal, currency: str, *, field: str = "amount") -> None:
    if quantize(amount, currency) != amount:
        raise DomainError(
            INVALID_PRECISION.format(currency=currency, places=minor_units(currency)),
            code="invalid_precision",
            field=field,
        )


def require_currency(currency: str, *, field: str = "currency") -> None:
    if currency not in CURRENCY_CODES:
        raise DomainError(
            UNKNOWN_CURRENCY.format(currency=currency), code="invalid_currency", field=field
        )


def amount_string(amount: Decimal, currency: str) -> str:
    return str(quantize(amount, currency))
