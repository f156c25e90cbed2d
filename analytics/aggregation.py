"""Rewriting a shop's daily aggregate rows from the source tables.

``analytics_days_refresh`` deletes and re-derives every aggregate row of the days in
``[start, end)`` for the shop in scope, in one transaction, so a reader sees either the
old or the new figures of a day. Each source is read with one grouped query over the
days' rows (orders by ``placed_at``, requests by ``created_at``, both indexed with the
tenant), so a day costs the same whatever the shop's history. Days are the shop's local
calendar days (``TIME_ZONE``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from analytics.models import (
    DurationDay,
    FeedbackEntry,
    Milestone,
    OrderDay,
    ReasonComment,
    ReturnDay,
    ReturnerDay,
    ReturnLineDay,
    SalesDay,
    TransitDay,
    VoucherDay,
)
from analytics.request_rows import request_rows
from analytics.transit import transit_days
from credits.models import ReturnResolution, VoucherEntry
from credits.statuses import ResolutionOutcome, VoucherEntryKind
from orders.models import OrderLine
from orders.statuses import OrderStatus
from returns.models import ReturnLine, ReturnRequest
from returns.statuses import ReturnStatus
from returns_platform.models import AuditEvent
from returns_platform.tenancy import require_current_tenant

BATCH = 2000
ZERO = Decimal("0")
# Requests that never came back count nowhere: withdrawn, cancelled or expired.
NOT_RETURNED = (ReturnStatus.CANCELLED, ReturnStatus.EXPIRED)
# The audit action that marks each milestone (the refund is read from the resolution).
MILESTONE_ACTIONS = {
    Milestone.APPROVAL: "return.approved",
    Milestone.RECEIPT: "return.received",
    Milestone.INSPECTION: "return.inspected",
}
# Requests where the customer keeps the goods count as this resolution.
KEEP_ITEM = "keep_item"
AGGREGATES = (
    OrderDay,
    SalesDay,
    ReturnLineDay,
    ReturnDay,
    DurationDay,
    VoucherDay,
    ReturnerDay,
    FeedbackEntry,
    ReasonComment,
    TransitDay,
)


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The aware instants of the local midnights that open ``start`` and ``end``."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end, time.min), zone),
    )


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _money(expression_left: str, expression_right: str) -> ExpressionWrapper:
    return ExpressionWrapper(
        F(expression_left) * F(expression_right),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


@transaction.atomic
def analytics_days_refresh(*, start: date, end: date) -> None:
    """Re-derive the aggregate rows of the shop in scope for the days ``[start, end)``."""
    if end <= start:
        return
    require_current_tenant()
    low, high = local_bounds(start, end)
    for model in AGGREGATES:
        model.objects.filter(day__gte=start, day__lt=end).delete()
    _write(OrderDay, _order_days(low, high))
    _write(SalesDay, _sales_days(low, high))
    _write(ReturnLineDay, _return_line_days(low, high))
    _write(ReturnDay, _return_days(low, high))
    _write(DurationDay, _duration_days(low, high))
    _write(VoucherDay, _voucher_days(low, high))
    _write(TransitDay, transit_days(low, high, not_returned=NOT_RETURNED))
    requests = list(
        _requests(low, high)
        .annotate(channel_code=_channel_code(), country=F("order__shipping_country"))
        .values("id", "created_at", "email", "channel_code", "country", "case_type")
    )
    for row in requests:
        row["day"] = local_day(row["created_at"])
    for model, rows in request_rows(requests).items():
        model.objects.bulk_create(rows, batch_size=BATCH)


def _write(model, rows) -> None:
    batch = []
    for row in rows:
        batch.append(model(**row))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def _sold_lines(low: datetime, high: datetime):
    zone = timezone.get_current_timezone()
    return (
        OrderLine.objects.filter(order__placed_at__gte=low, order__placed_at__lt=high)
        .exclude(order__status=OrderStatus.CANCELLED)
        .annotate(
            day=TruncDate("order__placed_at", tzinfo=zone),
            channel_code=Coalesce("order__channel__code", Value("")),
            country=F("order__shipping_country"),
        )
    )


def _order_days(low: datetime, high: datetime):
    rows = (
        _sold_lines(low, high)
        .values("day", "channel_code", "country")
        .annotate(
            orders=Count("order", distinct=True),
            units_sold=Sum("quantity"),
            revenue=Sum(_money("quantity", "unit_price")),
        )
        .order_by()
    )
    for row in rows:
        yield {
            "day": row["day"],
            "channel": row["channel_code"],
            "country": row["country"],
            "orders": row["orders"],
            "units_sold": row["units_sold"] or 0,
            "revenue": row["revenue"] or ZERO,
        }


def _dimensions(row: dict) -> dict:
    """The day and the product dimensions every summary row is keyed by."""
    return {
        "day": row["day"],
        "channel": row["channel_code"],
        "country": row["country"],
        "category": row["category"],
        "sku": row["sku"],
        "name": row["product"] or "",
    }


def _sales_days(low: datetime, high: datetime):
    rows = (
        _sold_lines(low, high)
        .values("day", "channel_code", "country", "category", "sku")
        .annotate(
            product=Min("name"),
            orders=Count("order", distinct=True),
            units_sold=Sum("quantity"),
            revenue=Sum(_money("quantity", "unit_price")),
        )
        .order_by()
    )
    for row in rows:
        yield {
            **_dimensions(row),
            "orders": row["orders"],
            "units_sold": row["units_sold"] or 0,
            "revenue": row["revenue"] or ZERO,
        }


def _requests(low: datetime, high: datetime):
    return ReturnRequest.objects.filter(created_at__gte=low, created_at__lt=high).exclude(
        status__in=NOT_RETURNED
    )


def _channel_code(prefix: str = "") -> Coalesce:
    """The request's channel, or its order's when the request has none."""
    return Coalesce(f"{prefix}channel__code", f"{prefix}order__channel__code", Value(""))


def resolution_key(prefix: str = "") -> Case:
    """The resolution a request counts under: keep-the-item apart from what it pays."""
    return Case(
        When(**{f"{prefix}keep_item": True}, then=Value(KEEP_ITEM)),
        default=F(f"{prefix}resolution"),
    )


def _return_line_days(low: datetime, high: datetime):
    zone = timezone.get_current_timezone()
    rows = (
        ReturnLine.objects.filter(request__created_at__gte=low, request__created_at__lt=high)
        .exclude(request__status__in=NOT_RETURNED)
        .annotate(
            day=TruncDate("request__created_at", tzinfo=zone),
            channel_code=_channel_code("request__"),
            country=F("request__order__shipping_country"),
            category=F("order_line__category"),
            # ``sku`` is the return line's own (what was returned, kept with the line).
            case_type=F("request__case_type"),
            reason_code=F("reason__code"),
            resolution=resolution_key("request__"),
        )
        .values(
            "day",
            "channel_code",
            "country",
            "category",
            "sku",
            "case_type",
            "reason_code",
            "resolution",
        )
        .annotate(
            product=Min("order_line__name"),
            request_count=Count("request", distinct=True),
            line_count=Count("id"),
            units=Sum("quantity"),
            line_value=Sum(_money("quantity", "unit_price")),
        )
        .order_by()
    )
    for row in rows:
        yield {
            **_dimensions(row),
            "case_type": row["case_type"],
            "reason": row["reason_code"],
            "resolution": row["resolution"],
            "requests": row["request_count"],
            "lines": row["line_count"],
            "units_returned": row["units"] or 0,
            "value": row["line_value"] or ZERO,
        }


def _return_days(low: datetime, high: datetime):
    requests = list(
        _requests(low, high)
        .annotate(channel_code=_channel_code(), country=F("order__shipping_country"))
        .values(
            "id",
            "created_at",
            "channel_code",
            "country",
            "case_type",
            "resolution",
            "status",
            "is_free_return",
            "return_cost",
            "keep_item",
        )
    )
    ids = [row["id"] for row in requests]
    values = dict(
        ReturnLine.objects.filter(request_id__in=ids)
        .values("request_id")
        .annotate(total=Sum(_money("quantity", "unit_price")))
        .values_list("request_id", "total")
        .order_by()
    )
    resolutions = {
        row["return_request_id"]: row
        for row in ReturnResolution.objects.filter(return_request_id__in=ids).values(
            "return_request_id", "outcome", "amount", "bonus"
        )
    }
    groups: dict[tuple, dict] = {}
    for row in requests:
        key = (
            local_day(row["created_at"]),
            row["channel_code"],
            row["country"],
            row["case_type"],
            KEEP_ITEM if row["keep_item"] else row["resolution"],
        )
        group = groups.setdefault(
            key,
            {
                "returns": 0,
                "completed": 0,
                "value": ZERO,
                "resolved": ZERO,
                "refunded": ZERO,
                "credited": ZERO,
                "exchanged": ZERO,
                "return_costs": ZERO,
            },
        )
        value = values.get(row["id"]) or ZERO
        group["returns"] += 1
        group["value"] += value
        if not row["is_free_return"]:
            group["return_costs"] += row["return_cost"]
        if row["status"] == ReturnStatus.COMPLETED:
            group["completed"] += 1
        resolution = resolutions.get(row["id"])
        if resolution is None:
            continue
        paid = resolution["amount"] + resolution["bonus"]
        group["resolved"] += paid
        if resolution["outcome"] == ResolutionOutcome.REFUND:
            group["refunded"] += paid
        elif resolution["outcome"] == ResolutionOutcome.STORE_CREDIT:
            group["credited"] += paid
        elif resolution["outcome"] == ResolutionOutcome.EXCHANGE:
            group["exchanged"] += value
    for (day, channel, country, case_type, resolution), figures in groups.items():
        yield {
            "day": day,
            "channel": channel,
            "country": country,
            "case_type": case_type,
            "resolution": resolution,
            **figures,
        }


def _first_audit(action: str) -> Subquery:
    return Subquery(
        AuditEvent.objects.filter(subject_type="return", subject_id=OuterRef("rma"), action=action)
        .order_by("created_at")
        .values("created_at")[:1]
    )


def _refund_moment() -> Subquery:
    """When the refund was paid out: the provider's success, or the resolution itself."""
    return Subquery(
        ReturnResolution.objects.filter(
            return_request_id=OuterRef("pk"), outcome=ResolutionOutcome.REFUND
        )
        .annotate(moment=Coalesce("refund__succeeded_at", "created_at"))
        .values("moment")[:1]
    )


def _duration_days(low: datetime, high: datetime):
    annotations = {
        str(milestone): _first_audit(action) for milestone, action in MILESTONE_ACTIONS.items()
    }
    annotations[str(Milestone.REFUND)] = _refund_moment()
    rows = (
        _requests(low, high)
        .annotate(channel_code=_channel_code(), country=F("order__shipping_country"))
        .annotate(**annotations)
        .values("created_at", "channel_code", "country", "case_type", *annotations)
    )
    counts: Counter = Counter()
    for row in rows:
        day = local_day(row["created_at"])
        for milestone in annotations:
            reached = row[milestone]
            if reached is None:
                continue
            hours = max(0, int((reached - row["created_at"]).total_seconds() // 3600))
            counts[
                (day, row["channel_code"], row["country"], row["case_type"], milestone, hours)
            ] += 1
    for (day, channel, country, case_type, milestone, hours), count in counts.items():
        yield {
            "day": day,
            "channel": channel,
            "country": country,
            "case_type": case_type,
            "milestone": milestone,
            "hours": hours,
            "count": count,
        }


def _voucher_days(low: datetime, high: datetime):
    zone = timezone.get_current_timezone()
    rows = (
        VoucherEntry.objects.filter(
            created_at__gte=low,
            created_at__lt=high,
            kind__in=(VoucherEntryKind.ISSUE, VoucherEntryKind.REDEEM),
        )
        .annotate(day=TruncDate("created_at", tzinfo=zone), currency=F("voucher__currency"))
        .values("day", "currency")
        .annotate(
            issued=Coalesce(Sum("amount", filter=Q(kind=VoucherEntryKind.ISSUE)), Value(ZERO)),
            redeemed=Coalesce(Sum("amount", filter=Q(kind=VoucherEntryKind.REDEEM)), Value(ZERO)),
        )
        .order_by()
    )
    for row in rows:
        yield {
            "day": row["day"],
            "currency": row["currency"],
            "issued": row["issued"],
            # Redemptions are stored as negative ledger amounts; the page shows them spent.
            "redeemed": abs(row["redeemed"]),
        }


def analytics_rebuild(*, chunk_days: int = 31) -> int:
    """Rewrite every day of the shop in scope that has orders, requests or vouchers."""
    first = _first_day()
    if first is None:
        return 0
    last = timezone.localdate() + timedelta(days=1)
    days = 0
    start = first
    while start < last:
        end = min(start + timedelta(days=chunk_days), last)
        analytics_days_refresh(start=start, end=end)
        days += (end - start).days
        start = end
    return days


def _first_day() -> date | None:
    from orders.models import Order

    moments = [
        Order.objects.order_by("placed_at").values_list("placed_at", flat=True).first(),
        ReturnRequest.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        VoucherEntry.objects.order_by("created_at").values_list("created_at", flat=True).first(),
    ]
    moments = [moment for moment in moments if moment is not None]
    return local_day(min(moments)) if moments else None
