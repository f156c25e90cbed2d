"""Keep the item: a cheap return is refunded without the goods coming back.

The policy sets a threshold per currency (``keep_item_below``, e.g. ``{"EUR": "15.00"}``)
and categories that are never kept (``keep_item_excluded_categories``). A withdrawal or a
complaint paid as a refund or store credit whose refund, without a return cost, is at or
below the threshold is a keep-the-item request: no label, no shipping, no receipt; it is
paid when it is approved (automatically or by staff).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from returns.statuses import CaseType, Resolution

KEPT_CASES = (CaseType.RETURN, CaseType.COMPLAINT)
PAID_RESOLUTIONS = (Resolution.REFUND, Resolution.STORE_CREDIT)


def keep_item_applies(
    *,
    policy: dict,
    currency: str,
    total: Decimal,
    order_lines: Sequence[Any],
    case_type: str,
    resolution: str,
) -> bool:
    """Whether a request may keep its goods (pure; ``total`` without a return cost)."""
    threshold = (policy.get("keep_item_below") or {}).get(currency)
    if threshold in (None, "") or case_type not in KEPT_CASES:
        return False
    if resolution not in PAID_RESOLUTIONS:
        return False
    excluded = set(policy.get("keep_item_excluded_categories") or [])
    if any(line.category and line.category in excluded for line in order_lines):
        return False
    return Decimal("0") < total <= Decimal(str(threshold))
