"""Celery tasks of the analytics app: tasks take ``tenant_id`` first and reload by id."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from returns_platform.tenancy import with_tenant


def event_days(payload: dict) -> set[date]:
    """The local days whose figures the event described by ``payload`` may change."""
    from analytics.aggregation import local_day
    from orders.models import Order
    from returns.models import ReturnRequest

    days = {date.fromisoformat(day) for day in payload.get("days", ())}
    # Vouchers issued or redeemed, refunds paid: the ledgers' day is today.
    days.add(timezone.localdate())
    # Subject ids are public ones (see the event catalogue): a return's RMA, an order's number.
    requests = ReturnRequest.objects.none()
    if payload.get("subject_type") == "return" and payload.get("subject_id"):
        requests = ReturnRequest.objects.filter(rma=payload["subject_id"])
    elif payload.get("rma"):
        requests = ReturnRequest.objects.filter(rma=payload["rma"])
    for created_at, placed_at in requests.values_list("created_at", "order__placed_at"):
        days.add(local_day(created_at))
        days.add(local_day(placed_at))
    if payload.get("subject_type") == "order" and payload.get("subject_id"):
        placed = Order.objects.filter(number=payload["subject_id"]).values_list(
            "placed_at", flat=True
        )
        days.update(local_day(moment) for moment in placed)
    return days


@shared_task
@with_tenant
def refresh_for_event(tenant_id: int, payload: dict) -> list[str]:
    from analytics.aggregation import analytics_days_refresh

    days = sorted(event_days(payload))
    for day in days:
        analytics_days_refresh(start=day, end=day + timedelta(days=1))
    return [day.isoformat() for day in days]


@shared_task
@with_tenant
def rebuild_for_tenant(tenant_id: int) -> int:
    from analytics.aggregation import analytics_rebuild

    return analytics_rebuild()
