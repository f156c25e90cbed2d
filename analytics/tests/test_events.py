"""The daily rows follow the domain events after commit, and the rebuild command writes
the same rows from scratch."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from analytics.models import DurationDay, OrderDay, ReturnDay, ReturnLineDay, SalesDay
from orders.tests.factories import order_payload
from returns.tests.conftest import file_return
from returns.workflow import return_transition
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SYSTEM = Actor.system("test")
PLACED = "2026-11-01T10:00:00Z"  # 1 November in the shop's time zone


def snapshot(tenant) -> dict:
    """Every aggregate row of the shop, without ids (what a rebuild must reproduce)."""
    with tenant_context(tenant):
        return {
            model.__name__: sorted(
                tuple(sorted((k, str(v)) for k, v in row.items() if k not in ("id",)))
                for row in model.objects.values()
            )
            for model in (OrderDay, SalesDay, ReturnLineDay, ReturnDay, DurationDay)
        }


def test_orders_and_returns_refresh_their_day_after_commit(
    tenant, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/orders/", order_payload("1001", placed_at=PLACED), format="json"
        )
    assert created.status_code == 201
    with tenant_context(tenant):
        [day] = OrderDay.objects.all()
        assert (day.day, day.orders, day.units_sold, day.country) == (date(2026, 11, 1), 1, 3, "NL")
        assert sorted(SalesDay.objects.values_list("sku", "units_sold")) == [
            ("JEANS-32", 1),
            ("TSHIRT-M", 2),
        ]
        from orders.models import Order

        order = Order.objects.get(number="1001")
        with django_capture_on_commit_callbacks(execute=True):
            return_request = file_return(order, quantities=[2])
        [line_day] = ReturnLineDay.objects.all()
        assert (line_day.sku, line_day.units_returned, line_day.reason) == (
            "TSHIRT-M",
            2,
            "too_small",
        )
        assert not DurationDay.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            return_transition(return_request=return_request, to="approved", actor=SYSTEM)
        assert list(DurationDay.objects.values_list("milestone", "count")) == [("approval", 1)]
        with django_capture_on_commit_callbacks(execute=True):
            return_transition(
                return_request=return_request, to="cancelled", actor=SYSTEM, reason="No"
            )
        # A cancelled request counts nowhere any more.
        assert not ReturnLineDay.objects.exists() and not ReturnDay.objects.exists()


def test_a_rolled_back_change_refreshes_nothing(tenant, django_capture_on_commit_callbacks):
    from orders.services import order_upsert

    with (
        tenant_context(tenant),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_upsert(data=_parsed(order_payload("1001", placed_at=PLACED)), actor=SYSTEM)
        raise RuntimeError("undo")
    assert callbacks == []
    with tenant_context(tenant):
        assert not OrderDay.objects.exists()


def _parsed(payload: dict) -> dict:
    from orders.serializers import OrderInput

    serializer = OrderInput(data=payload)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def test_the_rebuild_command_writes_what_the_events_wrote(
    tenant, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/orders/", order_payload("1001", placed_at=PLACED), format="json")
        api.post(
            "/api/v1/orders/",
            order_payload("1002", placed_at="2026-10-30T09:00:00Z"),
            format="json",
        )
    with tenant_context(tenant):
        from orders.models import Order

        with django_capture_on_commit_callbacks(execute=True):
            file_return(Order.objects.get(number="1002"), quantities=[1, 1])
    from_events = snapshot(tenant)
    assert from_events["OrderDay"] and from_events["ReturnLineDay"]
    with tenant_context(tenant):
        for model in (OrderDay, SalesDay, ReturnLineDay, ReturnDay, DurationDay):
            model.objects.all().delete()
    out = __import__("io").StringIO()
    call_command("rebuild_analytics", "--tenant", tenant.slug, stdout=out)
    assert out.getvalue().startswith(f"{tenant.slug}: ")
    assert snapshot(tenant) == from_events
    # A range rebuild rewrites only its days, with the same result.
    call_command("rebuild_analytics", "--from", "2026-10-30", "--to", "2026-11-01", stdout=out)
    assert snapshot(tenant) == from_events
