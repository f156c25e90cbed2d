"""Two shop systems sending the same new order number at once: one creates, one updates."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from orders.models import Order
from orders.services import order_upsert
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.orders import order_payload, service_data
from testing.staff import TEST_ACTOR

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_for_a_blocked_backend(deadline_seconds: float = 20) -> None:
    """Until another connection waits on a lock (the second insert of the number)."""
    deadline = time.monotonic() + deadline_seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second upsert never waited for the first")


def test_second_upsert_of_a_new_number_updates_instead_of_failing(api, tenant):
    created = threading.Event()
    release = threading.Event()
    failures: list[BaseException] = []
    answers: list = []

    def first_creates_and_holds() -> None:
        try:
            with tenant_context(tenant), transaction.atomic():
                order_upsert(data=service_data(order_payload("5001")), actor=TEST_ACTOR)
                created.set()
                assert release.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
            created.set()
        finally:
            connection.close()

    def second_posts_the_same_number() -> None:
        try:
            payload = order_payload("5001")
            payload["shipping_address"]["city"] = "Haarlem"
            answers.append(api.post("/api/v1/orders/", payload, format="json"))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=first_creates_and_holds)
    first.start()
    assert created.wait(timeout=30)
    second = threading.Thread(target=second_posts_the_same_number)
    second.start()
    try:
        # The second request has found no order 5001 (the first has not committed) and
        # its insert now waits on the first's uncommitted row.
        _wait_for_a_blocked_backend()
    finally:
        release.set()
        first.join(timeout=30)
        second.join(timeout=30)

    assert failures == []
    [answer] = answers
    assert answer.status_code == 200, answer.content
    assert answer.json()["shipping_address"]["city"] == "Haarlem"
    with tenant_context(tenant):
        assert list(Order.objects.values_list("number", "shipping_city")) == [("5001", "Haarlem")]
        assert list(
            AuditEvent.objects.filter(subject_id="5001")
            .order_by("pk")
            .values_list("action", flat=True)
        ) == ["order.created", "order.updated"]
