"""Polling carriers without webhooks (DHL Parcel DE through karrio's tracking API)."""

from __future__ import annotations

import datetime

import pytest

from carriers import tasks
from carriers.models import ReturnShipment, ShipmentEvent
from carriers.services import carrier_account_save
from carriers.statuses import ShipmentStatus
from carriers.tests import recorded
from carriers.tests.conftest import approve, file_return
from carriers.tracking import tracking_poll
from orders.tests.factories import create_order
from returns.models import ReturnRequest
from returns.tests.conftest import TEST_ACTOR

pytestmark = pytest.mark.django_db
DHL = {"username": "user", "password": "pw", "client_id": "cid", "client_secret": "cs"}


@pytest.fixture
def german_order(in_tenant, recent_dates):
    address = {
        "name": "Jan Schmidt",
        "street": "Hauptstraße 5",
        "postcode": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    return create_order("2001", shipping_address=address, **recent_dates)


@pytest.fixture
def dhl_booked(german_order, carrier_http, django_capture_on_commit_callbacks):
    carrier_account_save(carrier="dhl_parcel_de", actor=TEST_ACTOR, values={}, credentials=DHL)
    carrier_http.post(recorded.DHL_TOKEN_URL, json=recorded.DHL_TOKEN)
    carrier_http.post(recorded.DHL_RETURNS_URL, json=recorded.DHL_RETURN_CONFIRMATION, status=201)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(german_order)
        approve(return_request)
    shipment = ReturnShipment.objects.get(return_request=return_request)
    assert shipment.status == ShipmentStatus.BOOKED
    assert shipment.label_less_code == "https://qr.dhl.de/r/ABCD1234"
    return shipment


def test_polling_moves_a_dhl_return_in_transit(dhl_booked, carrier_http, tenant):
    carrier_http.get(recorded.DHL_TRACKING_URL, body=recorded.DHL_TRACKING)
    assert tracking_poll(shipment_id=dhl_booked.pk) == 2
    shipment = ReturnShipment.objects.get(pk=dhl_booked.pk)
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    # 09:05 in Germany (winter time) is 08:05 UTC.
    assert shipment.in_transit_at == datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC)
    assert ReturnRequest.objects.get(pk=shipment.return_request_id).status == "in_transit"
    assert list(ShipmentEvent.objects.values_list("code", "location")) == [
        ("AA", "Börnicke, Deutschland"),
        ("PU", "Berlin, Deutschland"),
    ]
    # The next round finds nothing new.
    assert tracking_poll(shipment_id=dhl_booked.pk) == 0


def test_a_failing_tracking_api_changes_nothing_and_is_asked_again(dhl_booked, carrier_http):
    carrier_http.get(recorded.DHL_TRACKING_URL, body="upstream timeout", status=504)
    assert tracking_poll(shipment_id=dhl_booked.pk) == 0
    assert ReturnShipment.objects.get(pk=dhl_booked.pk).status == ShipmentStatus.BOOKED


def test_the_periodic_task_polls_only_carriers_without_webhooks(dhl_booked, carrier_http, tenant):
    carrier_http.get(recorded.DHL_TRACKING_URL, body=recorded.DHL_TRACKING)
    from returns_platform.tenancy import clear_current_tenant

    clear_current_tenant()
    assert tasks.poll_tracking() == 1  # one shop with DHL parcels on their way
