"""GLS (ShipIT and Track and Trace) and pickup dates from the carrier's own availability,
answered from recordings at the HTTP edge."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from carriers import offers
from carriers.connectors import CarrierError, CarrierUnavailable, connector_for
from carriers.connectors.base import Address, BookingRequest
from carriers.models import ReturnShipment
from carriers.services import carrier_account_save, shipment_choose
from carriers.statuses import PickupStatus, ShipmentStatus
from carriers.tracking import tracking_poll
from returns.models import ReturnRequest
from returns.workflow import return_transition
from testing import carriers as recorded
from testing.carriers import approve
from testing.orders import create_order
from testing.returns import file_return
from testing.staff import TEST_ACTOR

CUSTOMER = Address("Jan Schmidt", "Hauptstraße", "5", "10115", "Berlin", "DE", "jan@example.de")
WAREHOUSE = Address("Returns", "Lagerweg", "1", "04109", "Leipzig", "DE", company="Acme")
GLS = {"client_id": "gls-app", "client_secret": "gls-secret", "contact_id": "276a45e7ZY"}
# A Monday morning in Berlin.
MONDAY = timezone.make_aware(datetime.datetime(2026, 11, 30, 10, 0))


def booking(**extra) -> BookingRequest:
    return BookingRequest(
        reference="R-000001",
        order_number="2001",
        sender=CUSTOMER,
        recipient=WAREHOUSE,
        weight_kg=2.5,
        **extra,
    )


def sent(mock, url: str) -> list:
    return [call.request for call in mock.calls if call.request.url == url]


def test_gls_return_label_with_shop_return_service(carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_SHIPMENTS_URL, json=recorded.GLS_CREATED, status=201)
    result = connector_for("gls", GLS).book_return(booking())
    assert result.tracking_number == recorded.GLS_TRACK_ID
    assert result.carrier_reference == recorded.GLS_PARCEL_NUMBER
    assert result.tracking_url == f"https://gls-group.com/track/{recorded.GLS_TRACK_ID}"
    assert result.label_pdf == recorded.LABEL_PDF
    assert result.pickup_reference == ""

    (request,) = sent(carrier_http, recorded.GLS_SHIPMENTS_URL)
    assert request.headers["Authorization"] == "Bearer gls-token"
    assert request.headers["Content-Type"] == "application/glsVersion1+json"
    shipment = json.loads(request.body)["Shipment"]
    # The customer is the consignee; the parcel travels back to the shipper (the shop).
    assert shipment["Consignee"]["Address"]["ZIPCode"] == "10115"
    assert shipment["Consignee"]["Address"]["StreetNumber"] == "5"
    assert shipment["Shipper"]["ContactID"] == "276a45e7ZY"
    assert shipment["Shipper"]["AlternativeShipperAddress"]["Name1"] == "Acme"
    assert shipment["Service"] == [
        {"ShopReturn": {"ServiceName": "service_shopreturn", "NumberOfLabels": 1}}
    ]
    assert shipment["ShipmentUnit"] == [{"ShipmentUnitReference": ["R-000001"], "Weight": 2.5}]
    (token,) = sent(carrier_http, recorded.GLS_TOKEN_URL)
    assert token.body == "grant_type=client_credentials"


def test_gls_pick_and_return_books_the_collection_with_the_label(carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_SHIPMENTS_URL, json=recorded.GLS_CREATED, status=201)
    connector = connector_for("gls", GLS)
    result = connector.book_return(booking(pickup_date=datetime.date(2026, 12, 2)))
    assert result.pickup_reference == recorded.GLS_TRACK_ID
    connector.book_return(booking())
    bodies = [json.loads(r.body) for r in sent(carrier_http, recorded.GLS_SHIPMENTS_URL)]
    assert bodies[0]["Shipment"]["Service"] == [
        {"PickAndReturn": {"ServiceName": "service_pickandreturn", "PickupDate": "2026-12-02"}}
    ]
    # The token is reused until shortly before it expires.
    assert len(sent(carrier_http, recorded.GLS_TOKEN_URL)) == 1


def test_gls_refusal_reads_the_error_headers_and_server_errors_are_retryable(carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(
        recorded.GLS_SHIPMENTS_URL, status=400, headers=recorded.GLS_REFUSED_HEADERS, body=""
    )
    with pytest.raises(CarrierError) as refused:
        connector_for("gls", GLS).book_return(booking())
    assert refused.value.code == "INVALID_FIELD_VALUE"
    assert "Shipper does not exist" in refused.value.message
    assert not refused.value.retryable

    carrier_http.replace("POST", recorded.GLS_SHIPMENTS_URL, status=503, body="busy")
    with pytest.raises(CarrierUnavailable):
        connector_for("gls", GLS).book_return(booking())


def test_gls_without_its_contact_id_is_refused():
    with pytest.raises(CarrierError) as missing:
        connector_for("gls", {"client_id": "a", "client_secret": "b"})
    assert missing.value.code == "credentials_missing"


# --- pickup dates -------------------------------------------------------------------------


@pytest.fixture
def gls(in_tenant):
    return carrier_account_save(
        carrier="gls",
        actor=TEST_ACTOR,
        values={
            "methods": ["drop_off", "pickup"],
            "countries": ["DE"],
            "return_street": "Lagerweg",
            "return_house_number": "1",
            "return_postcode": "04109",
            "return_city": "Leipzig",
            "return_country": "DE",
        },
        credentials=GLS,
    )


@pytest.mark.django_db
def test_pickup_days_come_from_gls_allowed_services(gls, carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_ALLOWED_URL, json=recorded.GLS_ALLOWED)
    slots = offers.pickup_slots(gls, origin=CUSTOMER, now=MONDAY)
    assert slots == [
        (datetime.date(2026, 12, day), "") for day in (1, 2, 3, 4, 7)
    ]  # whole days: PickAndReturn names a day, not a window
    (asked,) = sent(carrier_http, recorded.GLS_ALLOWED_URL)
    assert json.loads(asked.body) == {
        "Source": {"CountryCode": "DE", "ZIPCode": "10115"},
        "Destination": {"CountryCode": "DE", "ZIPCode": "04109"},
        "ContactID": "276a45e7ZY",
    }
    # Cached: the same postcode on the same day asks GLS once.
    assert offers.parse_slot(gls, "2026-12-02|", origin=CUSTOMER, now=MONDAY) == (
        datetime.date(2026, 12, 2),
        "",
    )
    assert len(sent(carrier_http, recorded.GLS_ALLOWED_URL)) == 1


@pytest.mark.django_db
def test_no_pickup_where_gls_does_not_collect(gls, carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_ALLOWED_URL, json=recorded.GLS_ALLOWED_NO_PICKUP)
    assert offers.pickup_slots(gls, origin=CUSTOMER, now=MONDAY) == []
    assert offers.parse_slot(gls, "2026-12-01|", origin=CUSTOMER, now=MONDAY) is None


@pytest.mark.django_db
def test_the_fixed_rule_serves_when_the_availability_lookup_fails(gls, carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_ALLOWED_URL, status=502, body="bad gateway")
    after_cutoff = MONDAY.replace(hour=17)
    slots = offers.pickup_slots(gls, origin=CUSTOMER, now=after_cutoff)
    assert [day for day, _ in slots] == [datetime.date(2026, 12, day) for day in (2, 3, 4, 7, 8)]
    # Not cached: the next visitor asks GLS again.
    offers.pickup_slots(gls, origin=CUSTOMER, now=after_cutoff)
    assert len(sent(carrier_http, recorded.GLS_ALLOWED_URL)) == 2


@pytest.mark.django_db
def test_sendcloud_pickups_keep_its_two_working_days_notice(sendcloud, carrier_http):
    slots = offers.pickup_slots(sendcloud, origin=CUSTOMER, now=MONDAY)
    assert slots[0] == (datetime.date(2026, 12, 2), "09:00-13:00")
    assert len(slots) == 10 and not carrier_http.calls  # Sendcloud publishes no availability


# --- end to end ---------------------------------------------------------------------------


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


@pytest.mark.django_db
def test_a_gls_pickup_return_is_booked_tracked_and_cancelled(
    gls, german_order, carrier_http, django_capture_on_commit_callbacks
):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_SHIPMENTS_URL, json=recorded.GLS_CREATED, status=201)
    carrier_http.post(recorded.GLS_CANCEL_URL, json={}, status=200)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(german_order, method="pickup")
        shipment_choose(
            return_request=return_request,
            pickup_date=datetime.date(2026, 12, 2),
            pickup_slot="",
        )
        approve(return_request)
    shipment = ReturnShipment.objects.get(return_request=return_request)
    assert shipment.status == ShipmentStatus.BOOKED
    assert shipment.tracking_number == recorded.GLS_TRACK_ID
    assert shipment.label_pdf.read() == recorded.LABEL_PDF
    assert (shipment.pickup_status, shipment.pickup_reference) == (
        PickupStatus.BOOKED,
        recorded.GLS_TRACK_ID,
    )
    body = json.loads(sent(carrier_http, recorded.GLS_SHIPMENTS_URL)[0].body)
    assert body["Shipment"]["Service"][0]["PickAndReturn"]["PickupDate"] == "2026-12-02"
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "label_created"

    with django_capture_on_commit_callbacks(execute=True):
        return_transition(
            return_request=ReturnRequest.objects.get(pk=return_request.pk),
            to="cancelled",
            actor=TEST_ACTOR,
            reason="Changed mind",
        )
    assert len(sent(carrier_http, recorded.GLS_CANCEL_URL)) == 1
    assert ReturnShipment.objects.get(pk=shipment.pk).pickup_status == PickupStatus.CANCELLED


@pytest.mark.django_db
def test_gls_parcels_are_polled_to_delivery(
    gls, german_order, carrier_http, django_capture_on_commit_callbacks
):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_SHIPMENTS_URL, json=recorded.GLS_CREATED, status=201)
    carrier_http.get(recorded.GLS_TRACKING_URL, json=recorded.GLS_TRACKING)
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(german_order)
        approve(return_request)
    shipment = ReturnShipment.objects.get(return_request=return_request)
    assert tracking_poll(shipment_id=shipment.pk) == 2
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipment.in_transit_at == datetime.datetime(2026, 12, 1, 9, 46, 14, tzinfo=datetime.UTC)
    assert shipment.days_in_transit == 2
    assert ReturnRequest.objects.get(pk=return_request.pk).status == "in_transit"
    assert tracking_poll(shipment_id=shipment.pk) == 0  # delivered: no longer polled


@pytest.mark.django_db
def test_an_unknown_gls_parcel_changes_nothing(gls, carrier_http):
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.get(recorded.GLS_TRACKING_URL, json=recorded.GLS_TRACKING_UNKNOWN)
    with pytest.raises(CarrierError) as unknown:
        connector_for("gls", GLS).track(recorded.GLS_TRACK_ID)
    assert unknown.value.code == "E_404_01"
