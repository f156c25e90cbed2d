"""Exchanges as new orders, and what approving a return sets off.

An exchange (or a replacement) ends in a new order (``orders.services.
exchange_order_create``): the replacement lines at the prices paid, to the original
order's customer and address, ``exchange_for`` the RMA. What the chosen replacement costs
more or less than the returned item is the price difference: more is asked for with the
exchange order's payment link (the shop fills it in), less is refunded with a credit note.

Approval (``return_approved``, called by the workflow inside the approving transaction):
- goods the customer keeps are paid at once (``return_resolve``, which completes the
  return: no label, no parcel, no receipt);
- when the shop's policy ships first (``exchange_ships_first``), an exchange's order is
  created at approval from the requested lines; completion later finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from orders.models import Order
from orders.services import exchange_order_create
from returns.models import ReturnLine, ReturnRequest
from returns.statuses import Resolution
from returns_platform.audit import Actor
from returns_platform.money import quantize

EXCHANGED = (Resolution.EXCHANGE, Resolution.REPLACEMENT)


def return_exchange_order(
    *, return_request: ReturnRequest, lines: Sequence[tuple[ReturnLine, int]], actor: Actor
) -> tuple[Order, Decimal]:
    """The return's exchange order (created once) and the price difference of ``lines``
    (``(return line, quantity)``): > 0 the customer pays more, < 0 the shop refunds."""
    currency = return_request.currency
    order_lines, difference = [], Decimal("0")
    for line, quantity in lines:
        order_lines.append(
            {
                "sku": line.exchange_sku or line.sku,
                "name": line.exchange_name or line.name,
                "category": line.order_line.category,
                "quantity": quantity,
                "unit_price": line.unit_price,
                "tax_rate": line.tax_rate,
            }
        )
        if line.exchange_unit_price is not None:
            difference += (line.exchange_unit_price - line.unit_price) * quantity
    order = exchange_order_create(
        original=return_request.order, rma=return_request.rma, lines=order_lines, actor=actor
    )
    return order, quantize(difference, currency)


def return_approved(*, return_request: ReturnRequest, actor: Actor, user: Any = None) -> None:
    if return_request.keep_item:
        from credits.services.resolution import return_resolve

        return_resolve(return_request=return_request, actor=actor, user=user)
        return
    ships_first = (return_request.policy_snapshot or {}).get("exchange_ships_first")
    if return_request.resolution == Resolution.EXCHANGE and ships_first:
        lines = ReturnLine.objects.filter(request=return_request).select_related("order_line")
        return_exchange_order(
            return_request=return_request,
            lines=[(line, line.quantity) for line in lines.order_by("id")],
            actor=actor,
        )
