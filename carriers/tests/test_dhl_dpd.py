"""DHL Parcel DE and DPD through karrio, answered from recordings at the HTTP edge."""

from __future__ import annotations

import json

import pytest
import requests

from carriers.connectors import CarrierError, CarrierUnavailable, connector_for
from carriers.connectors.base import Address, BookingRequest
from carriers.tests import recorded

CUSTOMER = Address("Jan Jansen", "Hauptstraße", "5", "10115", "Berlin", "DE", "jan@example.de")
WAREHOUSE = Address("Acme Returns", "Lagerweg", "1", "04109", "Leipzig", "DE")
DHL = {"username": "user", "password": "pw", "client_id": "cid", "client_secret": "cs"}


def booking() -> BookingRequest:
    return BookingRequest(
        reference="R-000001",
        order_number="1001",
        sender=CUSTOMER,
        recipient=WAREHOUSE,
        weight_kg=1.0,
    )


def test_dhl_return_label_through_karrio(carrier_http):
    carrier_http.post(recorded.DHL_TOKEN_URL, json=recorded.DHL_TOKEN)
    carrier_http.post(recorded.DHL_RETURNS_URL, json=recorded.DHL_RETURN_CONFIRMATION, status=201)
    result = connector_for("dhl_parcel_de", DHL).book_return(booking())
    assert result.tracking_number == recorded.DHL_SHIPMENT_NO
    assert result.label_pdf == recorded.LABEL_PDF
    assert result.label_less_code == "https://qr.dhl.de/r/ABCD1234"
    sent = [c for c in carrier_http.calls if c.request.url.startswith(recorded.DHL_RETURNS_URL)]
    body = json.loads(sent[0].request.body)
    assert body["shipper"]["postalCode"] == "10115"  # the customer sends the parcel
    assert sent[0].request.headers["Authorization"] == "Bearer dhl-token"


def test_dhl_refusal_is_a_carrier_error(carrier_http):
    carrier_http.post(recorded.DHL_TOKEN_URL, json=recorded.DHL_TOKEN)
    carrier_http.post(recorded.DHL_RETURNS_URL, json=recorded.DHL_INVALID, status=400)
    with pytest.raises(CarrierError) as refused:
        connector_for("dhl_parcel_de", DHL).book_return(booking())
    assert "receiverId unknown" in refused.value.message
    assert not refused.value.retryable


def test_dhl_timeout_is_retryable(carrier_http):
    carrier_http.post(recorded.DHL_TOKEN_URL, body=requests.exceptions.ReadTimeout("slow"))
    with pytest.raises(CarrierUnavailable):
        connector_for("dhl_parcel_de", DHL).book_return(booking())


def test_missing_credentials_are_refused_before_any_call(carrier_http):
    with pytest.raises(CarrierError) as refused:
        connector_for("dpd", {"delis_id": "x"})
    assert refused.value.code == "credentials_missing"
    assert not carrier_http.calls


DPD = {"delis_id": "shopdelis", "password": "pw"}
BE_CUSTOMER = Address("Jan Peeters", "Meir", "12", "2000", "Antwerpen", "BE", "jan@example.be")
BE_WAREHOUSE = Address("Acme Returns", "Havenlaan", "3", "1000", "Brussel", "BE")


def dpd_booking() -> BookingRequest:
    return BookingRequest(
        reference="R-000001",
        order_number="1001",
        sender=BE_CUSTOMER,
        recipient=BE_WAREHOUSE,
        weight_kg=1.0,
    )


def test_dpd_return_label_through_karrio(carrier_http):
    carrier_http.post(recorded.DPD_LOGIN_URL, body=recorded.DPD_LOGIN)
    carrier_http.post(recorded.DPD_SHIPMENT_URL, body=recorded.DPD_STORED)
    result = connector_for("dpd", DPD).book_return(dpd_booking())
    assert result.tracking_number == recorded.DPD_PARCEL
    assert result.label_pdf == recorded.LABEL_PDF
    store = [c for c in carrier_http.calls if c.request.url == recorded.DPD_SHIPMENT_URL]
    body = store[0].request.body.decode() if isinstance(store[0].request.body, bytes) else ""
    assert "dGhpc0lzQVRva2Vu" in body  # the login's token
    assert "Antwerpen" in body and "Brussel" in body


def test_dpd_login_refused_is_a_carrier_error(carrier_http):
    carrier_http.post(recorded.DPD_LOGIN_URL, body=recorded.DPD_FAULT, status=500)
    with pytest.raises(CarrierError) as refused:
        connector_for("dpd", {"delis_id": "other", "password": "wrong"}).book_return(dpd_booking())
    assert refused.value.code == "LOGIN_5" and not refused.value.retryable
    assert "do not match" in refused.value.message
