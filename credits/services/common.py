"""Small helpers the credits services share."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

from credits.models import AMOUNT
from returns_platform.api_fields import decimal_limit
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.money import CURRENCY_CODES, amount_text, minor_units, quantize

# The largest value of the amount columns (credits.models.AMOUNT: 14 digits, 2 places).
AMOUNT_LIMIT = decimal_limit(AMOUNT["max_digits"], AMOUNT["decimal_places"])
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
        raise DomainError(code="invalid_amount", field=field)
    require_storable(amount, field=field)
    require_precision(amount, currency, field=field)
    return amount


def require_storable(amount: Decimal, *, field: str = "amount") -> Decimal:
    """Refuse an amount (or a total computed from input) that no amount column can hold,
    before the database would answer with a numeric overflow."""
    if abs(amount) > AMOUNT_LIMIT:
        raise DomainError(code="amount_too_large", field=field, params={"limit": AMOUNT_LIMIT})
    return amount


def require_precision(amount: Decimal, currency: str, *, field: str = "amount") -> None:
    if quantize(amount, currency) != amount:
        raise DomainError(
            code="invalid_precision",
            field=field,
            params={"currency": currency, "places": minor_units(currency)},
        )


def require_currency(currency: str, *, field: str = "currency") -> None:
    if currency not in CURRENCY_CODES:
        raise DomainError(code="invalid_currency", field=field, params={"currency": currency})


def amount_string(amount: Decimal, currency: str) -> str:
    return amount_text(amount, currency)
