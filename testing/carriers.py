"""Carrier answers for the tests, shaped after the carriers' documented examples.

No test reaches the network: ``responses`` answers every ``requests`` call, karrio's
included (carriers/connectors/transport.py routes karrio through ``requests``).
"""

from __future__ import annotations

import base64
import json

from returns.workflow import return_move
from testing.staff import TEST_ACTOR

SENDCLOUD_PUBLIC = "sc-public-3f9a"
SENDCLOUD_SECRET = "sc-secret-77c1"
TRACKING = "3SYZXG132912330"
PARCEL_ID = 5551234
RETURN_ID = 998877

LABEL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

ANNOUNCE_URL = "https://panel.sendcloud.sc/api/v3/returns/announce-synchronously"
PARCEL_URL = f"https://panel.sendcloud.sc/api/v2/parcels/{PARCEL_ID}"
LABEL_URL = f"https://panel.sendcloud.sc/api/v2/labels/label_printer/{PARCEL_ID}"
SERVICE_POINTS_URL = "https://servicepoints.sendcloud.sc/api/v2/service-points"
PICKUPS_URL = "https://panel.sendcloud.sc/api/v3/pickups"

ANNOUNCED = {"return_id": RETURN_ID, "parcel_id": PARCEL_ID, "multi_collo_ids": []}

PARCEL = {
    "parcel": {
        "id": PARCEL_ID,
        "name": "Jan Jansen",
        "company_name": "",
        "address": "Damstraat",
        "house_number": "1",
        "city": "Amsterdam",
        "postal_code": "1012AB",
        "country": {"iso_2": "NL", "iso_3": "NLD", "name": "Netherlands"},
        "date_created": "01-12-2026 10:15:00",
        "status": {"id": 1000, "message": "Ready to send"},
        "tracking_number": TRACKING,
        "tracking_url": "https://tracking.sendcloud.sc/forward?carrier=postnl&code="
        + TRACKING
        + "&destination=NL&lang=nl-nl&source=NL&type=parcel&verification=1012AB",
        "weight": "1.000",
        "label": {
            "label_printer": LABEL_URL,
            "normal_printer": [
                f"https://panel.sendcloud.sc/api/v2/labels/normal_printer/{PARCEL_ID}?start_from=0"
            ],
        },
        "carrier": {"code": "postnl"},
        "shipment": {"id": 1234, "name": "PostNL Return"},
        "is_return": True,
    }
}

# A 400 of the v3 Returns API (JSON:API style errors with a pointer to the field).
ANNOUNCE_INVALID = {
    "errors": [
        {
            "status": "400",
            "code": "invalid",
            "title": "Invalid",
            "detail": "This field may not be blank.",
            "source": {"pointer": "/from_address/postal_code"},
        }
    ]
}

SERVICE_POINTS = [
    {
        "id": 10875350,
        "code": "217166",
        "is_active": True,
        "name": "Bruna Centrum",
        "street": "Kalverstraat",
        "house_number": "92",
        "postal_code": "1012PH",
        "city": "Amsterdam",
        "latitude": "52.370100",
        "longitude": "4.891300",
        "carrier": "postnl",
        "country": "NL",
        "formatted_opening_times": {
            "0": ["09:00 - 18:00"],
            "1": ["09:00 - 18:00"],
            "2": ["09:00 - 18:00"],
            "3": ["09:00 - 21:00"],
            "4": ["09:00 - 18:00"],
            "5": ["10:00 - 17:00"],
            "6": [],
        },
        "open_tomorrow": True,
        "distance": 812,
    },
    {
        "id": 10875349,
        "code": "217165",
        "is_active": True,
        "name": "Primera Damrak",
        "street": "Damrak",
        "house_number": "11",
        "postal_code": "1012LG",
        "city": "Amsterdam",
        "latitude": "52.374400",
        "longitude": "4.895600",
        "carrier": "postnl",
        "country": "NL",
        "formatted_opening_times": {"0": ["08:30 - 17:30"], "6": ["12:00 - 17:00"]},
        "open_tomorrow": True,
        "distance": 381,
    },
    {
        "id": 10875351,
        "code": "217167",
        "is_active": False,
        "name": "Closed shop",
        "street": "Spui",
        "house_number": "2",
        "postal_code": "1012WX",
        "city": "Amsterdam",
        "latitude": "52.368000",
        "longitude": "4.889000",
        "carrier": "postnl",
        "country": "NL",
        "formatted_opening_times": {},
        "distance": 120,
    },
]

PICKUP_BOOKED = {
    "data": {
        "id": 4242,
        "carrier_code": "postnl",
        "status": "ANNOUNCING",
        "reference": "R-000001",
        "created_at": "2026-11-30T10:00:00Z",
    }
}


def status_webhook(status_id: int, message: str, *, timestamp: int = 1796119200000) -> bytes:
    return json.dumps(
        {
            "action": "parcel_status_changed",
            "timestamp": timestamp,
            "parcel": {
                "id": PARCEL_ID,
                "tracking_number": TRACKING,
                "status": {"id": status_id, "message": message},
                "carrier": {"code": "postnl"},
                "is_return": True,
            },
        }
    ).encode()


# --- DHL Parcel DE (Returns API v1) ---------------------------------------------------

DHL_TOKEN_URL = "https://api-eu.dhl.com/parcel/de/account/auth/ropc/v1/token"
DHL_RETURNS_URL = "https://api-eu.dhl.com/parcel/de/shipping/returns/v1/orders"
DHL_TOKEN = {"access_token": "dhl-token", "expires_in": 1799, "token_type": "Bearer"}
DHL_SHIPMENT_NO = "999990123456789"
DHL_RETURN_CONFIRMATION = {
    "shipmentNo": DHL_SHIPMENT_NO,
    "internationalShipmentNo": None,
    "label": {"b64": base64.b64encode(LABEL_PDF).decode()},
    "qrLabel": {"b64": base64.b64encode(b"\x89PNG qr").decode()},
    "qrLink": "https://qr.dhl.de/r/ABCD1234",
    "routingCode": "40327653113+99000933090010",
    "sstatus": {"title": "OK", "status": 201, "detail": "Return order created"},
}
DHL_INVALID = {
    "title": "Bad Request",
    "status": 400,
    "detail": "Invalid request: receiverId unknown.",
}


# --- DPD (SOAP web services: LoginService 2.1, ShipmentService 3.3) --------------------

DPD_LOGIN_URL = "https://wsshipper.dpd.be/soap/services/LoginService/V2_1"
DPD_SHIPMENT_URL = "https://wsshipper.dpd.be/soap/services/ShipmentService/V3_3"
DPD_PARCEL = "09981122330100"
DPD_LOGIN = """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
<soap:Body><ns2:getAuthResponse xmlns:ns2="http://dpd.com/common/service/types/LoginService/2.1">
<return><delisId>shopdelis</delisId><customerUid>shopdelis</customerUid>
<authToken>dGhpc0lzQVRva2Vu</authToken><depot>0998</depot>
<authTokenExpires>2099-12-01T02:00:00.000</authTokenExpires></return>
</ns2:getAuthResponse></soap:Body></soap:Envelope>"""
DPD_STORED = f"""<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
<soap:Body><ns2:storeOrdersResponse xmlns:ns2="http://dpd.com/common/service/types/ShipmentService/3.3">
<orderResult><parcellabelsPDF>{base64.b64encode(LABEL_PDF).decode()}</parcellabelsPDF>
<shipmentResponses><identificationNumber>R-000001</identificationNumber>
<mpsId>MPS0998{DPD_PARCEL}20261201</mpsId>
<parcelInformation><parcelLabelNumber>{DPD_PARCEL}</parcelLabelNumber></parcelInformation>
</shipmentResponses></orderResult></ns2:storeOrdersResponse></soap:Body></soap:Envelope>"""
DPD_FAULT = """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
<soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Fault occured</faultstring>
<detail><ns2:authenticationFault xmlns:ns2="http://dpd.com/common/service/types/Authentication/2.0">
<errorCode>LOGIN_5</errorCode>
<errorMessage>The given DELIS-ID and password do not match.</errorMessage>
</ns2:authenticationFault></detail></soap:Fault></soap:Body></soap:Envelope>"""

DHL_TRACKING_URL = "https://api-eu.dhl.com/parcel/de/tracking/v0/shipments"
DHL_TRACKING = f"""<?xml version="1.0" encoding="UTF-8"?>
<data name="pieceshipmentlist" code="0" request-id="6f0a1c2e">
<data name="piece-shipment" error-status="0" piece-code="{DHL_SHIPMENT_NO}"
 searched-piece-code="{DHL_SHIPMENT_NO}" delivery-event-flag="0" ice="SHRCU"
 product-name="DHL Retoure" dest-country="Deutschland" origin-country="Deutschland">
<data name="piece-event-list" piece-code="{DHL_SHIPMENT_NO}">
<data name="piece-event" event-timestamp="01.12.2026 09:05" event-status="Die Sendung wurde in
 der Filiale eingeliefert." event-location="Berlin" event-country="Deutschland"
 standard-event-code="PU" ice="PCKDU" ric="PUBCR"/>
<data name="piece-event" event-timestamp="01.12.2026 18:40" event-status="Die Sendung wurde im
 Start-Paketzentrum bearbeitet." event-location="Börnicke" event-country="Deutschland"
 standard-event-code="AA" ice="LDTMV" ric="MVMTV"/>
</data></data></data>"""


# --- GLS (OAuth2, ShipIT v1, Track and Trace v1) -----------------------------------------

GLS_TOKEN_URL = "https://api.gls-group.net/oauth2/v2/token"
GLS_SHIPMENTS_URL = "https://api.gls-group.net/shipit-farm/v1/backend/rs/shipments"
GLS_ALLOWED_URL = f"{GLS_SHIPMENTS_URL}/allowedservices"
GLS_TRACK_ID = "ZTA2NXR3"
GLS_PARCEL_NUMBER = "202800020052"
GLS_CANCEL_URL = f"{GLS_SHIPMENTS_URL}/cancel/{GLS_TRACK_ID}"
GLS_TRACKING_URL = (
    f"https://api.gls-group.net/track-and-trace-v1/tracking/simple/trackids/{GLS_TRACK_ID}"
)
GLS_TOKEN = {"access_token": "gls-token", "token_type": "Bearer", "expires_in": 14400}
GLS_CREATED = {
    "CreatedShipment": {
        "ShipmentReference": ["R-000001"],
        "ParcelData": [
            {
                "TrackID": GLS_TRACK_ID,
                "ParcelNumber": GLS_PARCEL_NUMBER,
                "Barcodes": {"Primary1D": GLS_PARCEL_NUMBER, "Primary1DPrint": True},
                "RoutingInfo": {"FinalLocationCode": "DE 777", "LastRoutingDate": "2026-12-01"},
            }
        ],
        "PrintData": [{"Data": base64.b64encode(LABEL_PDF).decode(), "LabelFormat": "PDF"}],
        "CustomerID": "2764200001",
        "PickupLocation": "DE 777",
        "GDPR": ["gls-group.eu/dataprotection"],
    }
}
# ShipIT refuses with HTTP 400 and the reason in the ``error`` and ``message`` headers.
GLS_REFUSED_HEADERS = {
    "error": "INVALID_FIELD_VALUE",
    "message": "Invalid field Shipment.Shipper.ContactID. Value 276a45e7ZY is not a valid "
    "value. Shipper does not exist or is not available for the user.",
}
GLS_ALLOWED = {
    "AllowedServices": [
        {"ProductName": "PARCEL"},
        {"ServiceName": "service_flexdelivery"},
        {"ServiceName": "service_pickandreturn"},
        {"ServiceName": "service_shopreturn"},
    ]
}
GLS_ALLOWED_NO_PICKUP = {
    "AllowedServices": [{"ProductName": "PARCEL"}, {"ServiceName": "service_shopreturn"}]
}
GLS_TRACKING = {
    "parcels": [
        {
            "requested": GLS_TRACK_ID,
            "unitno": GLS_PARCEL_NUMBER,
            "status": "DELIVERED",
            "statusDateTime": "2026-12-03T11:02:00+0100",
            "events": [
                {
                    "code": "INTIAL.NORMAL",
                    "city": "Berlin",
                    "postalCode": "10115",
                    "country": "DE",
                    "description": "The parcel was handed over to GLS.",
                    "eventDateTime": "2026-12-01T10:46:14+0100",
                },
                {
                    "code": "DELIVERED.NORMAL",
                    "city": "Leipzig",
                    "postalCode": "04109",
                    "country": "DE",
                    "description": "The parcel has been delivered.",
                    "eventDateTime": "2026-12-03T11:02:00+0100",
                },
            ],
        }
    ]
}
GLS_TRACKING_UNKNOWN = {
    "parcels": [
        {"requested": GLS_TRACK_ID, "errorCode": "E_404_01", "errorMessage": "Resource Not Found"}
    ]
}


# Sendcloud's parcel as the polling fallback reads it (GET /api/v2/parcels?tracking_number=).
PARCELS_URL = "https://panel.sendcloud.sc/api/v2/parcels"


def parcels_answer(
    status_id: int, message: str, *, tracking=TRACKING, updated="01-12-2026 10:15:00"
):
    parcel = {
        **PARCEL["parcel"],
        "tracking_number": tracking,
        "status": {"id": status_id, "message": message},
        "date_updated": updated,
    }
    return {"next": None, "previous": None, "parcels": [parcel]}


def record_sendcloud_booking(mock, *, announce_status=201, announce_body=None) -> None:
    mock.post(
        ANNOUNCE_URL,
        json=announce_body if announce_body is not None else ANNOUNCED,
        status=announce_status,
    )
    mock.get(PARCEL_URL, json=PARCEL)
    mock.get(LABEL_URL, body=LABEL_PDF, content_type="application/pdf")


def approve(return_request):
    return return_move(return_request=return_request, to="approved", actor=TEST_ACTOR, reason="ok")
