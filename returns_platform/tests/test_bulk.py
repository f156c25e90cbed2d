"""``bulk_insert`` writes exactly the rows ``bulk_create`` writes, with ids, in the scope."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Order, OrderLine
from orders.statuses import OrderStatus
from returns_platform.bulk import bulk_insert
from returns_platform.tenancy import CrossTenantWrite, tenant_context

pytestmark = pytest.mark.django_db

PLACED = timezone.make_aware(datetime(2026, 11, 1, 10, 30))


def _orders(prefix: str) -> list[Order]:
    return [
        Order(
            number=f"{prefix}-{n}",
            email=f"c{n}@example.nl",
            currency="EUR",
            status=OrderStatus.DELIVERED,  # a choices member, not a plain str
            shipping_postcode="1012 AB",
            postcode_normalized="1012AB",
            shipping_country="NL",
            placed_at=PLACED,
            delivered_at=datetime(2026, 11, 3, 12, 0),  # naive: prepared by the field
            delivery_cost=Decimal("4.95"),
            total=Decimal("24.90") + n,
        )
        for n in range(3)
    ]


def _lines(orders: list[Order]) -> list[OrderLine]:
    return [
        OrderLine(
            order=order,
            position=position,
            sku=f"SKU-{position}",
            name="Shirt",
            quantity=position,
            unit_price=Decimal("9.95"),
            tax_rate=Decimal("21.00"),
            returnable=position != 2,
            variants=[{"sku": "SKU-L", "unit_price": "9.95"}] if position == 1 else [],
        )
        for order in orders
        for position in (1, 2)
    ]


def _rows(model, ids) -> list[dict]:
    skip = {"id", "number", "order_id", "created_at", "updated_at"}
    return [
        {name: value for name, value in row.items() if name not in skip}
        for row in model.objects.filter(pk__in=ids).order_by("pk").values()
    ]


@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
def test_the_same_rows_as_bulk_create(tenant):
    with tenant_context(tenant):
        reference = _orders("A")
        Order.objects.bulk_create(reference)
        reference_lines = _lines(reference)
        OrderLine.objects.bulk_create(reference_lines)

        inserted = _orders("B")
        bulk_insert(Order, inserted)
        inserted_lines = _lines(inserted)
        bulk_insert(OrderLine, inserted_lines)

        assert all(order.pk and not order._state.adding for order in inserted)
        assert [line.order_id for line in inserted_lines] == [o.pk for o in inserted for _ in "ab"]
        assert _rows(Order, [o.pk for o in inserted]) == _rows(Order, [o.pk for o in reference])
        assert _rows(OrderLine, [line.pk for line in inserted_lines]) == _rows(
            OrderLine, [line.pk for line in reference_lines]
        )
        stamped = Order.objects.get(pk=inserted[0].pk)
        assert stamped.created_at is not None and stamped.updated_at is not None
        assert OrderLine.objects.get(pk=inserted_lines[0].pk).variants == [
            {"sku": "SKU-L", "unit_price": "9.95"}
        ]


def test_rows_of_another_shop_are_refused(tenant, other_tenant):
    with tenant_context(other_tenant):
        foreign = _orders("C")
        for order in foreign:
            order.tenant = other_tenant
    with tenant_context(tenant), pytest.raises(CrossTenantWrite):
        bulk_insert(Order, foreign)
    with tenant_context(other_tenant):
        assert not Order.objects.filter(number__startswith="C-").exists()
