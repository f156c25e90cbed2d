"""The replacement a customer chooses for an exchange: one of the order line's variants.

An order line may carry its alternatives (``variants``: ``[{"sku", "name", "unit_price",
"available"}]``). A return line of an exchange names the chosen one as ``exchange_sku``;
without it the same item is sent again. Only an available variant can be chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from returns.statuses import Resolution
from returns_platform.errors import DomainError


@dataclass(frozen=True)
class Replacement:
    sku: str
    name: str
    unit_price: Decimal


def replacement_choose(
    *, order_line: Any, exchange_sku: str, resolution: str, index: int
) -> Replacement | None:
    """The replacement of one return line, or None when the line is not exchanged."""
    exchange_sku = (exchange_sku or "").strip()
    if not exchange_sku:
        return None
    if resolution != Resolution.EXCHANGE:
        raise DomainError(
            code="not_an_exchange", field=f"lines[{index}].exchange_sku", params={"index": index}
        )
    if exchange_sku == order_line.sku:
        return Replacement(order_line.sku, order_line.name, order_line.unit_price)
    for variant in order_line.variants or []:
        if variant.get("sku") == exchange_sku and variant.get("available", True):
            return Replacement(
                exchange_sku, str(variant.get("name") or ""), Decimal(str(variant["unit_price"]))
            )
    raise DomainError(
        code="unknown_variant",
        field=f"lines[{index}].exchange_sku",
        params={"index": index, "sku": exchange_sku, "item": order_line.sku},
    )


def available_variants(order_line: Any) -> list[dict]:
    """The alternatives a customer can choose now (the portal's exchange choice)."""
    return [variant for variant in order_line.variants or [] if variant.get("available", True)]
