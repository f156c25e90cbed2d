"""Two workers given the same shipment at once: the carrier is asked once."""

from __future__ import annotations

import threading
import time

import pytest
import responses
from django.db import connection

from carriers import services
from carriers.models import ReturnShipment
from carriers.tests import recorded
from carriers.tests.conftest import file_return
from orders.tests.factories import create_order
from returns.models import ReturnRequest
from returns.tests.conftest import TEST_ACTOR
from returns_platform.tenancy import tenant_context

WORKERS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_booking_tasks_book_one_shipment(tenant, recent_dates):
    with tenant_context(tenant):
        order = create_order("1001", **recent_dates)
        services.carrier_account_save(
            carrier="sendcloud",
            actor=TEST_ACTOR,
            values={"methods": ["drop_off"]},
            credentials={
                "public_key": recorded.SENDCLOUD_PUBLIC,
                "secret_key": recorded.SENDCLOUD_SECRET,
            },
        )
        return_request = file_return(order)
        shipment = ReturnShipment.objects.get(return_request=return_request)
    barrier = threading.Barrier(WORKERS)
    outcomes: list[str] = []

    def slow_announce(request):
        time.sleep(0.5)  # the carrier takes its time: the others arrive meanwhile
        return (201, {}, '{"return_id": 998877, "parcel_id": 5551234}')

    def worker() -> None:
        try:
            with tenant_context(tenant):
                barrier.wait(timeout=10)
                outcomes.append(services.shipment_book(shipment_id=shipment.pk))
        finally:
            connection.close()

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, recorded.ANNOUNCE_URL, callback=slow_announce)
        mock.get(recorded.PARCEL_URL, json=recorded.PARCEL)
        mock.get(recorded.LABEL_URL, body=recorded.LABEL_PDF)
        # Approved (set directly: an approval through the workflow would queue a booking
        # of its own; here the parallel workers are the bookings).
        ReturnRequest.unscoped.filter(pk=return_request.pk).update(status="approved")
        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        announces = [c for c in mock.calls if c.request.method == "POST"]

    assert sorted(outcomes).count("booked") == 1
    assert len(announces) == 1
    with tenant_context(tenant):
        assert ReturnShipment.objects.get(pk=shipment.pk).tracking_number == recorded.TRACKING
