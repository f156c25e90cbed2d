"""What an order upsert may not change: lines held by returns, the currency once a return
or money refers to it, a total below what was credited or refunded.

Orders do not import the returns or credits domains: they ask them through the selectors
named in settings (``ORDER_LINE_HOLDS_SELECTOR``, ``ORDER_MONEY_SELECTOR``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from orders.models import Order, OrderLine
from returns_platform.errors import ConflictError
from returns_platform.money import quantize

# What an open return relies on: changing these under it would pay the wrong thing.
HELD_LINE_FIELDS = ("sku", "name", "unit_price", "tax_rate")


def line_holds(existing_lines: dict[int, dict[int, OrderLine]]) -> dict[int, dict]:
    """Units and RMAs of the returns holding these lines, from the returns domain (one query),
    asked by name so that orders does not depend on returns."""
    line_ids = [line.pk for lines in existing_lines.values() for line in lines.values()]
    if not line_ids:
        return {}
    return import_string(settings.ORDER_LINE_HOLDS_SELECTOR)(order_line_ids=line_ids)


def refuse_currency_change(
    order: Order, currency: str, existing_lines: dict[int, dict[int, OrderLine]], holds: dict
) -> None:
    if currency == order.currency:
        return
    lines = existing_lines.get(order.pk, {}).values()
    rmas = sorted({rma for line in lines for rma in holding_rmas(holds, line)})
    if rmas:
        raise ConflictError(
            code="currency_locked",
            field="currency",
            returns=rmas,
            params={
                "number": order.number,
                "rmas": ", ".join(rmas),
                "currency": order.currency,
                "new": currency,
            },
        )
    # Money already credited or paid is in the old currency: the cap on what may still be
    # credited would otherwise add up two currencies.
    if order.pk in money_on(order):
        raise ConflictError(
            code="currency_locked.money",
            field="currency",
            params={"number": order.number, "currency": order.currency, "new": currency},
        )


def money_on(order: Order) -> dict[int, Decimal]:
    """Order id -> what was credited (booked) or refunded on it, when anything was."""
    return import_string(settings.ORDER_MONEY_SELECTOR)(order_ids=[order.pk])


def refuse_total_below_paid(order: Order, total: Decimal) -> None:
    """A lower total must still cover what was credited or refunded on the order."""
    if total >= order.total:
        return
    paid = quantize(money_on(order).get(order.pk, Decimal("0")), order.currency)
    if total < paid:
        raise ConflictError(
            code="total_below_credited",
            field="lines",
            credited=str(paid),
            params={
                "number": order.number,
                "total": total,
                "paid": paid,
                "currency": order.currency,
            },
        )


def holding_rmas(holds: dict, line: OrderLine) -> list[str]:
    return holds.get(line.pk, {}).get("rmas", [])


def refuse_held_line_change(order: Order, line: OrderLine, values: dict, hold: dict | None):
    if hold is None:
        return
    rmas = ", ".join(hold["rmas"])
    changed = [
        name for name in HELD_LINE_FIELDS if name in values and values[name] != getattr(line, name)
    ]
    if changed:
        raise ConflictError(
            code="line_in_use.changed",
            returns=hold["rmas"],
            params={
                "position": line.position,
                "number": order.number,
                "rmas": rmas,
                "fields": ", ".join(changed),
            },
        )
    quantity = values.get("quantity", line.quantity)
    if quantity < hold["quantity"]:
        raise ConflictError(
            code="line_in_use.quantity",
            returns=hold["rmas"],
            params={
                "position": line.position,
                "number": order.number,
                "rmas": rmas,
                "held": hold["quantity"],
                "quantity": quantity,
            },
        )
