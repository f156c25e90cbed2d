"""GLS: ShipIT (labels, pickups) and the Track and Trace API, with ``requests``.

karrio's GLS extension (karrio-gls 2026.1.32) cannot serve here: it sends a ShipIT
request but reads the answer as ``shipmentId`` / ``trackingNumbers`` / ``labels``, while
ShipIT answers ``CreatedShipment.ParcelData[].TrackID`` and ``PrintData[].Data``; a real
booking would never be read back. It also drops the return services (ShopReturn,
PickAndReturn). So this connector speaks GLS's documented REST API:

- OAuth2 client credentials at ``/oauth2/v2/token`` (Basic auth with the API app's id and
  secret); the token is kept in the cache until shortly before it expires.
- ``POST /shipit-farm/v1/backend/rs/shipments`` with the ``ShopReturn`` service (a return
  label the customer takes to a GLS ParcelShop) or ``PickAndReturn`` with the
  ``PickupDate`` (GLS collects at the customer's address). The shop is the shipper
  (``ContactID``), the customer the consignee: the return travels back to the shipper.
- ``POST /shipit-farm/v1/backend/rs/shipments/allowedservices``: whether GLS offers
  PickAndReturn between the customer's postcode and the shop's; the portal offers pickup
  dates only where it does.
- ``POST /shipit-farm/v1/backend/rs/shipments/cancel/{TrackID}`` cancels the shipment and
  with it a PickAndReturn collection.
- ``GET /track-and-trace-v1/tracking/simple/trackids/{TrackID}`` for polling (GLS pushes
  nothing for returns).

ShipIT reports refusals as HTTP 400 with ``error`` and ``message`` headers.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any

import requests
from django.core.cache import cache

from carriers.connectors import transport
from carriers.connectors.base import (
    Address,
    Booking,
    BookingRequest,
    CarrierError,
    CarrierUnavailable,
    TrackingEvent,
    TrackingUpdate,
)
from carriers.connectors.common import Connector, next_pickup_dates

API = "https://api.gls-group.net"
SANDBOX = "https://api-sandbox.gls-group.net"
SHIPIT = "/shipit-farm/v1/backend/rs"
JSON_V1 = "application/glsVersion1+json"
TRACKING_PAGE = "https://gls-group.com/track/{}"
PICK_AND_RETURN = "service_pickandreturn"
SHOP_RETURN = "service_shopreturn"
# Track and Trace statuses: still at the customer / announced vs. delivered.
NOT_YET_MOVING = frozenset({"PREADVICE", "PLANNEDPICKUP", "INPICKUP", "NOTPICKEDUP"})
DELIVERED = frozenset({"DELIVERED", "DELIVEREDPS"})


class GlsConnector(Connector):
    carrier = "gls"
    credential_fields = ("client_id", "client_secret", "contact_id")
    has_pickups = True
    # PickAndReturn names a day, not a time window.
    pickup_slot_names = ("",)
    books_pickup_with_shipment = True
    max_weight_kg = 40.0  # GLS Parcel

    @property
    def base(self) -> str:
        return SANDBOX if self.credentials.get("test_mode") else API

    # --- HTTP -----------------------------------------------------------------------------

    def _token(self) -> str:
        key = f"carriers:gls:token:{self.credentials['client_id']}:{self.base}"
        token = cache.get(key)
        if token:
            return token
        response = self._send(
            "POST",
            f"{self.base}/oauth2/v2/token",
            auth=(self.credentials["client_id"], self.credentials["client_secret"]),
            data={"grant_type": "client_credentials"},
        )
        answer = response.json()
        token = str(answer.get("access_token") or "")
        if not token:
            raise CarrierError("GLS issued no access token.", code="auth_failed")
        lifetime = int(answer.get("expires_in") or 0) - 300
        if lifetime > 0:
            cache.set(key, token, lifetime)
        return token

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {"User-Agent": transport.USER_AGENT, **kwargs.pop("headers", {})}
        try:
            response = requests.request(
                method, url, timeout=transport.timeout(), headers=headers, **kwargs
            )
        except requests.RequestException as exc:
            raise CarrierUnavailable(f"GLS did not answer: {exc}") from exc
        if response.status_code >= 500:
            raise CarrierUnavailable(
                f"GLS answered {response.status_code}.", code=f"http_{response.status_code}"
            )
        if response.status_code >= 400:
            code = response.headers.get("error") or f"http_{response.status_code}"
            message = response.headers.get("message") or f"GLS answered {response.status_code}."
            raise CarrierError(message, code=code)
        return response

    def _shipit(self, path: str, body: dict | None = None) -> dict:
        response = self._send(
            "POST",
            f"{self.base}{SHIPIT}{path}",
            json=body,
            headers={
                "Authorization": f"Bearer {self._token()}",
                "Content-Type": JSON_V1,
                "Accept": JSON_V1,
            },
        )
        return response.json() if response.content else {}

    # --- labels -----------------------------------------------------------------------------

    def book_return(self, request: BookingRequest) -> Booking:
        if request.pickup_date:
            service = {
                "PickAndReturn": {
                    "ServiceName": PICK_AND_RETURN,
                    "PickupDate": request.pickup_date.isoformat(),
                }
            }
        else:
            service = {"ShopReturn": {"ServiceName": SHOP_RETURN, "NumberOfLabels": 1}}
        body = {
            "Shipment": {
                "Product": request.service_code or "PARCEL",
                "ShipmentReference": [request.reference],
                "Consignee": {"Address": _address(request.sender)},
                "Shipper": {
                    "ContactID": self.credentials["contact_id"],
                    "AlternativeShipperAddress": _address(request.recipient),
                },
                "ShipmentUnit": [
                    {
                        "ShipmentUnitReference": [request.reference],
                        "Weight": round(request.weight_kg, 2),
                    }
                ],
                "Service": [service],
            },
            "PrintingOptions": {"ReturnLabels": {"TemplateSet": "NONE", "LabelFormat": "PDF"}},
        }
        created = self._shipit("/shipments", body).get("CreatedShipment") or {}
        parcels = created.get("ParcelData") or []
        if not parcels or not parcels[0].get("TrackID"):
            raise CarrierError("GLS created no parcel.", code="no_parcel")
        track_id = str(parcels[0]["TrackID"])
        return Booking(
            tracking_number=track_id,
            tracking_url=TRACKING_PAGE.format(track_id),
            carrier_reference=str(parcels[0].get("ParcelNumber") or track_id),
            label_pdf=_label(created.get("PrintData") or []),
            pickup_reference=track_id if request.pickup_date else "",
        )

    # --- pickups ----------------------------------------------------------------------------

    def pickup_availability(
        self, *, origin: Address, destination: Address, now: datetime.datetime
    ) -> list[tuple[datetime.date, str]]:
        """GLS's own answer whether it collects at the customer's postcode for a return to
        the shop's; the days are GLS's working days from the next one on."""
        answer = self._shipit(
            "/shipments/allowedservices",
            {
                "Source": {"CountryCode": origin.country, "ZIPCode": origin.postcode},
                "Destination": {
                    "CountryCode": destination.country,
                    "ZIPCode": destination.postcode,
                },
                "ContactID": self.credentials["contact_id"],
            },
        )
        services = {
            str(item.get("ServiceName") or "") for item in answer.get("AllowedServices") or []
        }
        if PICK_AND_RETURN not in services:
            return []
        return [(day, "") for day in next_pickup_dates(now, lead_days=self.pickup_lead_days)]

    def cancel_pickup(self, reference: str) -> None:
        self._shipit(f"/shipments/cancel/{reference}")

    # --- tracking ---------------------------------------------------------------------------

    def track(self, tracking_number: str) -> TrackingUpdate:
        response = self._send(
            "GET",
            f"{self.base}/track-and-trace-v1/tracking/simple/trackids/{tracking_number}",
            headers={"Authorization": f"Bearer {self._token()}", "Accept": "application/json"},
        )
        parcels = (response.json() or {}).get("parcels") or []
        parcel = next((p for p in parcels if p.get("requested") == tracking_number), None)
        if parcel is None or parcel.get("errorCode"):
            parcel = parcel or {}
            message = parcel.get("errorMessage") or f"GLS knows no parcel {tracking_number}."
            raise CarrierError(message, code=str(parcel.get("errorCode") or "unknown_parcel"))
        events = sorted(
            (_event(raw) for raw in parcel.get("events") or []),
            key=lambda event: event.occurred_at,
        )
        status = str(parcel.get("status") or "").upper()
        delivered = status in DELIVERED
        return TrackingUpdate(
            tracking_number=tracking_number,
            events=events,
            in_transit=delivered or status not in NOT_YET_MOVING,
            delivered=delivered,
        )


def _address(address: Address) -> dict:
    data = {
        "Name1": address.company or address.name,
        "Name2": address.name if address.company else "",
        "Street": address.street,
        "StreetNumber": address.house_number,
        "ZIPCode": address.postcode,
        "City": address.city,
        "CountryCode": address.country,
        "ContactPerson": address.name,
        "eMail": address.email,
        "FixedLinePhonenumber": address.phone,
    }
    return {key: value for key, value in data.items() if value}


def _label(documents: list[dict]) -> bytes:
    pdf = next((doc for doc in documents if doc.get("LabelFormat") == "PDF"), None)
    if pdf is None:
        return b""
    data = pdf.get("Data") or ""
    if isinstance(data, list):
        data = "".join(data)
    try:
        decoded = base64.b64decode(data)
    except (binascii.Error, ValueError) as exc:
        raise CarrierError("GLS's label is not base64.", code="bad_label") from exc
    if not decoded.startswith(b"%PDF"):
        raise CarrierError("GLS's label is not a PDF.", code="bad_label")
    return decoded


def _event(raw: dict) -> TrackingEvent:
    place = ", ".join(part for part in (raw.get("city"), raw.get("country")) if part)
    return TrackingEvent(
        occurred_at=datetime.datetime.strptime(raw["eventDateTime"], "%Y-%m-%dT%H:%M:%S%z"),
        code=str(raw.get("code") or ""),
        description=str(raw.get("description") or raw.get("code") or ""),
        location=place,
    )
