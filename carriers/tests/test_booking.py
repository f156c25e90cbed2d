"""Return shipments: booked on approval, label and tracking stored, errors retried."""

from __future__ import annotations

import base64
import json

import pytest
import requests
from django.utils import timezone

from carriers import services
from carriers.models import ReturnShipment
from carriers.statuses import ShipmentStatus
from carriers.tests import recorded
from carriers.tests.conftest import approve, file_return, record_sendcloud_booking
from returns.models import ReturnRequest
from returns_platform.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_approval_books_a_sendcloud_return_label_with_tracking(
    order, sendcloud, carrier_http, django_capture_on_commit_callbacks
):
    record_sendcloud_booking(carrier_http)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        shipment = ReturnShipment.objects.get(return_request=return_request)
        assert shipment.status == ShipmentStatus.PENDING  # planned, not booked yet
        assert not carrier_http.calls
        approve(return_request)

    shipment.refresh_from_db()
    return_request.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED
    assert shipment.tracking_number == recorded.TRACKING
    assert shipment.tracking_url.startswith("https://tracking.sendcloud.sc/forward?carrier=postnl")
    assert shipment.carrier_reference == str(recorded.RETURN_ID)
    assert shipment.label_pdf.read() == recorded.LABEL_PDF
    assert return_request.status == "label_created"

    announce = carrier_http.calls[0].request
    expected_auth = base64.b64encode(
        f"{recorded.SENDCLOUD_PUBLIC}:{recorded.SENDCLOUD_SECRET}".encode()
    ).decode()
    assert announce.headers["Authorization"] == f"Basic {expected_auth}"
    body = json.loads(announce.body)
    assert body["from_address"]["postal_code"] == order.shipping_postcode
    assert body["to_address"] == {
        **body["to_address"],
        "address_line_1": "Warehouseweg",
        "house_number": "5",
        "postal_code": "3542AB",
        "country_code": "NL",
    }
    assert body["ship_with"]["shipping_option_code"] == "postnl:small/return"
    assert body["external_reference"] == return_request.rma
    assert AuditEvent.objects.filter(action="return.carrier_booked").count() == 1


def test_without_an_account_the_platform_label_stays_the_fallback(
    order, carrier_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    assert not ReturnShipment.objects.exists()
    assert not carrier_http.calls
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "approved"


def test_in_store_returns_need_no_carrier(order, sendcloud, carrier_http):
    return_request = file_return(order, method="in_store")
    approve(return_request)
    assert not ReturnShipment.objects.exists()


def test_a_refused_booking_fails_at_once_with_the_carriers_reason(
    order, sendcloud, carrier_http, django_capture_on_commit_callbacks
):
    record_sendcloud_booking(
        carrier_http, announce_status=400, announce_body=recorded.ANNOUNCE_INVALID
    )
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    shipment = ReturnShipment.objects.get()
    assert shipment.status == ShipmentStatus.FAILED
    assert shipment.attempts == 1
    assert "/from_address/postal_code: This field may not be blank." in shipment.last_error
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "approved"
    assert AuditEvent.objects.filter(action="return.carrier_failed").count() == 1


def test_timeouts_are_retried_with_growing_pauses_then_fail(
    order, sendcloud, carrier_http, django_capture_on_commit_callbacks
):
    carrier_http.post(recorded.ANNOUNCE_URL, body=requests.exceptions.ConnectTimeout("slow"))
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    shipment = ReturnShipment.objects.get()
    assert shipment.status == ShipmentStatus.PENDING and shipment.attempts == 1
    assert "carrier_unavailable" in shipment.last_error
    pauses = []
    now = timezone.now()
    while shipment.status == ShipmentStatus.PENDING:
        pauses.append(shipment.next_attempt_at - now)
        now = shipment.next_attempt_at
        assert services.due_bookings(now - timezone.timedelta(seconds=1)) == []
        assert services.due_bookings(now) == [shipment.pk]
        services.shipment_book(shipment_id=shipment.pk, now=now)
        shipment.refresh_from_db()
    assert [round(p.total_seconds()) for p in pauses] == [60, 120, 240, 480]
    assert shipment.status == ShipmentStatus.FAILED
    assert shipment.attempts == services.MAX_ATTEMPTS
    assert shipment.next_attempt_at is None


def test_a_server_error_is_retried_and_a_later_try_books(
    order, sendcloud, carrier_http, django_capture_on_commit_callbacks
):
    carrier_http.post(recorded.ANNOUNCE_URL, json={"error": {"message": "oops"}}, status=503)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    shipment = ReturnShipment.objects.get()
    assert shipment.status == ShipmentStatus.PENDING and "http_503" in shipment.last_error

    carrier_http.replace(responses_post(), recorded.ANNOUNCE_URL, json=recorded.ANNOUNCED)
    carrier_http.get(recorded.PARCEL_URL, json=recorded.PARCEL)
    carrier_http.get(recorded.LABEL_URL, body=recorded.LABEL_PDF)
    assert services.shipment_book(shipment_id=shipment.pk, now=shipment.next_attempt_at) == "booked"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED and shipment.last_error == ""
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "label_created"


def test_staff_retry_after_the_last_try_books_again(
    order, sendcloud, carrier_http, django_capture_on_commit_callbacks
):
    record_sendcloud_booking(
        carrier_http, announce_status=400, announce_body=recorded.ANNOUNCE_INVALID
    )
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    shipment = ReturnShipment.objects.get()
    carrier_http.replace(responses_post(), recorded.ANNOUNCE_URL, json=recorded.ANNOUNCED)
    with django_capture_on_commit_callbacks(execute=True):
        services.shipment_retry(shipment=shipment, actor=services.ACTOR)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED


def test_a_booked_shipment_is_never_booked_again(
    order, sendcloud, carrier_http, django_capture_on_commit_callbacks
):
    record_sendcloud_booking(carrier_http)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(order)
        approve(return_request)
    shipment = ReturnShipment.objects.get()
    assert services.shipment_book(shipment_id=shipment.pk) == "skipped"
    assert len([c for c in carrier_http.calls if c.request.method == "POST"]) == 1


def responses_post():
    import responses

    return responses.POST


@pytest.mark.parametrize(("categories", "booked"), [(["furniture"], False), (["Shirts"], True)])
def test_pickup_by_the_carrier_only_for_the_named_categories(
    order, sendcloud, carrier_http, categories, booked
):
    services.carrier_account_save(
        carrier="sendcloud",
        actor=services.ACTOR,
        values={"pickup_categories": categories},
    )
    return_request = file_return(order, method="pickup")  # one T-shirt ("shirts")
    assert ReturnShipment.objects.filter(return_request=return_request).exists() is booked
