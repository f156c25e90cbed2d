"""Two customers (or tabs) asking for the last unit at once: exactly one gets it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from returns import services
from returns.models import ReturnRequest
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from testing.orders import create_order, make_order

ATTEMPTS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_one_request_gets_the_last_unit(tenant):
    now = timezone.now()
    with tenant_context(tenant):
        order = create_order(
            "1001",
            placed_at=(now - timezone.timedelta(days=4)).isoformat(),
            shipped_at=(now - timezone.timedelta(days=3)).isoformat(),
            delivered_at=(now - timezone.timedelta(days=2)).isoformat(),
        )
        jeans = order.lines.get(sku="JEANS-32")  # one unit ordered

    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            with tenant_context(tenant):
                barrier.wait(timeout=10)
                try:
                    return_request = services.return_request_create(
                        order=order,
                        case_type="return",
                        resolution="refund",
                        method="drop_off",
                        lines=[{"order_line": jeans.pk, "quantity": 1, "reason_code": "other"}],
                        actor=Actor.consumer(f"tab{index}@example.nl"),
                    )
                    result = return_request.rma
                except DomainError as error:
                    result = error.code
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["R-000001"] + ["quantity_exceeds_remaining"] * (ATTEMPTS - 1)
    with tenant_context(tenant):
        assert list(ReturnRequest.objects.values_list("rma", flat=True)) == ["R-000001"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rma_numbers_are_gapless_under_concurrency(tenant):
    with tenant_context(tenant):
        orders = [make_order(f"20{index:02d}") for index in range(6)]
    barrier = threading.Barrier(len(orders))
    errors: list[Exception] = []

    def attempt(order) -> None:
        try:
            with tenant_context(tenant):
                barrier.wait(timeout=10)
                line = order.lines.first()
                services.return_request_create(
                    order=order,
                    case_type="return",
                    resolution="refund",
                    method="drop_off",
                    lines=[{"order_line": line.pk, "quantity": 1, "reason_code": "other"}],
                    actor=Actor.system("test"),
                )
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with tenant_context(tenant):
        rmas = sorted(ReturnRequest.objects.values_list("rma", flat=True))
    assert rmas == [f"R-{n:06d}" for n in range(1, len(orders) + 1)]
