"""The date rules of orders, applied by the orders service whatever sends the order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from orders.statuses import OrderEventType
from returns_platform.errors import DomainError


def order_dates_check(*, data: dict, field: Callable[[str], str]) -> None:
    """An order ships and arrives after it is placed; ``field`` names a field in the
    request (``orders[3].shipped_at`` in a bulk upsert)."""
    placed_at = data.get("placed_at")
    for name in ("shipped_at", "delivered_at"):
        if placed_at and data.get(name) and data[name] < placed_at:
            raise DomainError(code="invalid_date", field=field(name), params={"name": name})


def event_dates_check(*, event_type: str, expected_at: datetime | None) -> None:
    """A delay names a new delivery date that has not passed."""
    if event_type != OrderEventType.DELAYED:
        return
    if expected_at is None:
        raise DomainError(code="expected_at_required", field="expected_at")
    if timezone.localdate(expected_at) < timezone.localdate():
        raise DomainError(code="expected_in_past", field="expected_at")
