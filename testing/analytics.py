"""A shop with hand-counted orders, returns, resolutions, vouchers, audit dates and
feedback in the period 1-10 October 2026 (and one order in the period before).

The expected figures below were counted by hand from this data (see each comment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from analytics.aggregation import analytics_rebuild
from credits.models import ReturnResolution
from credits.services import voucher_issue, voucher_redeem
from orders.models import Order, OrderLine
from returns.models import Feedback, ReturnLine, ReturnReason, ReturnRequest
from returns_platform.audit import Actor
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import SalesChannel

START, END = date(2026, 10, 1), date(2026, 10, 10)
TEST_ACTOR = Actor.system("test")


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class Built:
    requests: dict
    orders: dict


def _order(number, channel, country, email, placed, lines, status="placed"):
    order = Order.objects.create(
        number=number,
        channel=channel,
        email=email,
        currency="EUR",
        status=status,
        shipping_postcode="1012AB",
        postcode_normalized="1012AB",
        shipping_country=country,
        placed_at=placed,
    )
    made = {}
    for position, (sku, category, quantity, price) in enumerate(lines, start=1):
        made[sku] = OrderLine.objects.create(
            order=order,
            position=position,
            sku=sku,
            name=f"Product {sku}",
            category=category,
            quantity=quantity,
            unit_price=Decimal(price),
        )
    return order, made


_sequence = [0]


def _audit(return_request, action, moment):
    _sequence[0] += 1
    AuditEvent.objects.create(
        sequence=10_000 + _sequence[0],
        created_at=moment,
        actor_kind="system",
        action=action,
        subject_type="return",
        subject_id=return_request.rma,
        previous_hash="0" * 64,
        hash=f"{_sequence[0]:064d}",
    )


def _return(
    rma,
    order,
    lines,
    *,
    created,
    status,
    case_type="return",
    resolution="refund",
    cost="0.00",
    free=False,
    channel=None,
):
    request = ReturnRequest.objects.create(
        rma=rma,
        order=order,
        case_type=case_type,
        status=status,
        resolution=resolution,
        method="drop_off",
        is_free_return=free,
        return_cost=Decimal(cost),
        currency="EUR",
        channel=channel,
        email=order.email,
        status_changed_at=created,
    )
    for order_line, quantity, reason, comment in lines:
        ReturnLine.objects.create(
            request=request,
            order_line=order_line,
            quantity=quantity,
            reason=reason,
            comment=comment,
            sku=order_line.sku,
            name=order_line.name,
            unit_price=order_line.unit_price,
            tax_rate=order_line.tax_rate,
        )
    ReturnRequest.objects.filter(pk=request.pk).update(created_at=created)
    request.refresh_from_db()
    return request


def _resolution(request, outcome, amount, bonus="0", moment=None):
    resolution = ReturnResolution.objects.create(
        return_request=request,
        rma=request.rma,
        resolution=request.resolution,
        outcome=outcome,
        currency="EUR",
        amount=Decimal(amount),
        bonus=Decimal(bonus),
        resolved_by="system:test",
    )
    ReturnResolution.objects.filter(pk=resolution.pk).update(created_at=moment)


def build_shop() -> Built:
    """Call inside ``tenant_context``."""
    web = SalesChannel.objects.create(code="web", name="Web shop", kind="webshop")
    market = SalesChannel.objects.create(code="market", name="Marketplace", kind="marketplace")
    size = ReturnReason.objects.create(
        code="size", label_en="Wrong size", label_nl="Verkeerde maat"
    )
    damaged = ReturnReason.objects.create(code="damaged", label_en="Damaged", label_nl="Beschadigd")
    changed = ReturnReason.objects.create(
        code="changed", label_en="Changed my mind", label_nl="Bedacht"
    )
    # Sold in the period (O4 is cancelled and counts nowhere): 3 orders, 9 units.
    o1, l1 = _order(
        "O1",
        web,
        "NL",
        "jan@example.com",
        at(date(2026, 10, 2)),
        [("SKU-A", "Shoes", 2, "50.00"), ("SKU-B", "Shirts", 1, "20.00")],
    )
    o2, l2 = _order(
        "O2",
        web,
        "DE",
        "jan@example.com",
        at(date(2026, 10, 3)),
        [("SKU-A", "Shoes", 1, "50.00"), ("SKU-C", "Shirts", 3, "10.00")],
    )
    o3, l3 = _order(
        "O3",
        market,
        "NL",
        "piet@example.com",
        at(date(2026, 10, 5)),
        [("SKU-B", "Shirts", 2, "20.00")],
    )
    _order(
        "O4",
        market,
        "NL",
        "kees@example.com",
        at(date(2026, 10, 6)),
        [("SKU-C", "Shirts", 4, "10.00")],
        status="cancelled",
    )
    # The period before (21-30 September): 1 order, 1 unit. After the period: ignored.
    _order(
        "O5", web, "NL", "anna@example.com", at(date(2026, 9, 25)), [("SKU-A", "Shoes", 1, "50.00")]
    )
    _order(
        "O6",
        web,
        "NL",
        "anna@example.com",
        at(date(2026, 10, 12)),
        [("SKU-A", "Shoes", 1, "50.00")],
    )

    c1 = at(date(2026, 10, 4))
    r1 = _return(
        "R1", o1, [(l1["SKU-A"], 2, size, "Too small")], created=c1, status="completed", cost="4.95"
    )
    _resolution(r1, "refund", "100.00", moment=c1 + timedelta(hours=120))
    for action, hours in (
        ("return.approved", 24),
        ("return.received", 72),
        ("return.inspected", 96),
    ):
        _audit(r1, action, c1 + timedelta(hours=hours))

    c2 = at(date(2026, 10, 5))
    r2 = _return(
        "R2",
        o2,
        [(l2["SKU-C"], 1, damaged, "Broken zip"), (l2["SKU-A"], 1, size, "")],
        created=c2,
        status="completed",
        resolution="store_credit",
        free=True,
    )
    _resolution(r2, "store_credit", "60.00", bonus="3.00", moment=c2 + timedelta(hours=270))
    for action, hours in (
        ("return.approved", 48),
        ("return.received", 240),
        ("return.inspected", 264),
    ):
        _audit(r2, action, c2 + timedelta(hours=hours))

    c3 = at(date(2026, 10, 7))
    r3 = _return(
        "R3",
        o3,
        [(l3["SKU-B"], 1, damaged, "Seam came loose")],
        created=c3,
        status="received",
        case_type="complaint",
        resolution="exchange",
        cost="7.95",
    )
    for action, hours in (("return.approved", 12), ("return.received", 36)):
        _audit(r3, action, c3 + timedelta(hours=hours))

    # Cancelled: counts nowhere.
    r4 = _return(
        "R4",
        o1,
        [(l1["SKU-B"], 1, changed, "Never mind")],
        created=at(date(2026, 10, 8)),
        status="cancelled",
    )

    # The voucher ledger is append-only: its entries are written on the days they count.
    with mock.patch("django.utils.timezone.now", return_value=at(date(2026, 10, 6))):
        voucher = voucher_issue(
            amount=Decimal("60.00"),
            bonus=Decimal("3.00"),
            currency="EUR",
            actor=TEST_ACTOR,
            valid_from=date(2026, 10, 1),
        )
    with mock.patch("django.utils.timezone.now", return_value=at(date(2026, 10, 9))):
        voucher_redeem(voucher=voucher, amount=Decimal("20.00"), actor=TEST_ACTOR)

    for request, rating, comment, day in ((r1, 5, "Quick refund", 9), (r2, 2, "Slow", 10)):
        Feedback.objects.create(
            request=request,
            rating=rating,
            comment=comment,
            created_at=at(date(2026, 10, day)),
            updated_at=at(date(2026, 10, day)),
        )
    return Built(
        requests={"R1": r1, "R2": r2, "R3": r3, "R4": r4}, orders={"O1": o1, "O2": o2, "O3": o3}
    )


@pytest.fixture
def counted(tenant):
    with tenant_context(tenant):
        built = build_shop()
        analytics_rebuild()
    return built
