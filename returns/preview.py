"""Refund preview: a pure, itemised calculation shown before confirming and to staff.

Rounding rule: every line amount (paid unit price x quantity) is rounded to the
currency's minor unit, half up, and the rounded line amounts are summed. The store-credit
bonus is a percentage of that subtotal, rounded once the same way. The return cost is
capped at the subtotal, so a refund is never negative (docs/returns.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from returns.statuses import CaseType, Resolution
from returns_platform.errors import DomainError
from returns_platform.money import quantize

ZERO = Decimal("0")


@dataclass(frozen=True)
class PreviewLine:
    order_line: int
    description: str
    unit_price: Decimal
    quantity: int
    currency: str


def returns_every_unit(
    *,
    ordered: Mapping[int, int],
    already_returned: Mapping[int, int],
    requested: Mapping[int, int],
) -> bool:
    """True when earlier (non-cancelled) requests and this one together return every unit."""
    return all(
        already_returned.get(line_id, 0) + requested.get(line_id, 0) >= quantity
        for line_id, quantity in ordered.items()
    )


def refund_preview(
    *,
    currency: str,
    lines: Sequence[PreviewLine],
    case_type: str,
    resolution: str,
    return_cost: Decimal,
    is_free_return: bool,
    store_credit_bonus_percent: Decimal,
    delivery_cost: Decimal,
    full_withdrawal: bool,
) -> dict:
    """The itemised refund; amounts are strings in ``currency``."""
    currencies = sorted({line.currency for line in lines} | {currency})
    if len(currencies) > 1:
        raise DomainError(
            code="currency_mismatch.several", params={"currencies": ", ".join(currencies)}
        )
    items = []
    subtotal = ZERO
    for line in lines:
        amount = quantize(Decimal(line.unit_price) * line.quantity, currency)
        subtotal += amount
        items.append(
            {
                "order_line": line.order_line,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": str(quantize(Decimal(line.unit_price), currency)),
                "amount": str(amount),
            }
        )
    charged = ZERO if is_free_return else min(quantize(Decimal(return_cost), currency), subtotal)
    charged = max(charged, ZERO)
    bonus = ZERO
    if resolution == Resolution.STORE_CREDIT and store_credit_bonus_percent:
        bonus = quantize(subtotal * Decimal(store_credit_bonus_percent) / 100, currency)
    delivery_refund = ZERO
    if case_type == CaseType.RETURN and full_withdrawal:
        delivery_refund = quantize(Decimal(delivery_cost or 0), currency)
    total = subtotal - charged + bonus + delivery_refund
    return {
        "currency": currency,
        "lines": items,
        "subtotal": str(quantize(subtotal, currency)),
        "return_cost": str(quantize(charged, currency)),
        "is_free_return": is_free_return,
        "store_credit_bonus": str(quantize(bonus, currency)),
        "delivery_cost_refund": str(quantize(delivery_refund, currency)),
        "full_withdrawal": bool(full_withdrawal),
        "total": str(quantize(total, currency)),
    }
