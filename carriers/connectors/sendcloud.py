"""Sendcloud: one account reaches PostNL, DHL, DPD, bpost, InPost, PostNord and more.

karrio's Sendcloud extension cannot serve here: its only release (karrio-sendcloud
2025.5rc9) fails to import (it refers to schema modules it does not ship) and covers
outgoing parcels only, without returns, service points or Sendcloud's v3 pickups. So this
connector speaks Sendcloud's documented REST API with ``requests`` (Basic auth with the
integration's public and secret key): the Returns API (``POST
/api/v3/returns/announce-synchronously``, then the parcel and its label from
``/api/v2/parcels``), the service-point API and the pickups API. Status changes arrive as
webhooks signed with the secret key (HMAC-SHA256 of the raw body in the
``Sendcloud-Signature`` header).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

import requests
from django.utils import timezone

from carriers.connectors import transport
from carriers.connectors.base import (
    Booking,
    BookingRequest,
    CarrierError,
    CarrierUnavailable,
    PickupRequest,
    RateLimited,
    ServicePoint,
    TrackingEvent,
    TrackingUpdate,
)
from carriers.connectors.common import Connector

PANEL = "https://panel.sendcloud.sc/api"
SERVICE_POINTS = "https://servicepoints.sendcloud.sc/api/v2/service-points"
SIGNATURE_HEADER = "Sendcloud-Signature"
# Sendcloud parcel status ids (documented list): announced and moving vs. delivered.
DELIVERED_STATUS_IDS = frozenset({11})
NOT_YET_MOVING_STATUS_IDS = frozenset({1, 999, 1000, 1001, 1002, 2000, 2001})


class BadSignature(CarrierError):
    def __init__(self) -> None:
        super().__init__("The webhook signature does not match.", code="bad_signature")


class SendcloudConnector(Connector):
    carrier = "sendcloud"
    credential_fields = ("public_key", "secret_key")
    has_webhooks = True
    has_service_points = True
    has_pickups = True
    # Sendcloud: "schedule your collection at least 2 working days in advance".
    pickup_lead_days = 2

    # --- plain HTTP (operations karrio does not cover) --------------------------------

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = requests.request(
                method,
                url,
                auth=(self.credentials["public_key"], self.credentials["secret_key"]),
                timeout=transport.timeout(),
                headers={"User-Agent": transport.USER_AGENT},
                **kwargs,
            )
        except requests.RequestException as exc:
            raise CarrierUnavailable(f"Sendcloud did not answer: {exc}") from exc
        if response.status_code == 429:
            raise RateLimited(
                "Sendcloud's rate limit was reached.",
                retry_after=_seconds(response.headers.get("Retry-After")),
            )
        if response.status_code >= 500:
            raise CarrierUnavailable(
                f"Sendcloud answered {response.status_code}.", code=f"http_{response.status_code}"
            )
        if response.status_code >= 400:
            raise CarrierError(error_message(response), code=f"http_{response.status_code}")
        return response

    def book_return(self, request: BookingRequest) -> Booking:
        body: dict[str, Any] = {
            "from_address": _address(request.sender),
            "to_address": _address(request.recipient),
            "ship_with": {
                "type": "shipping_option_code",
                "shipping_option_code": request.service_code or "postnl:small/return",
            },
            "weight": {"value": round(request.weight_kg, 3), "unit": "kg"},
            "collo_count": 1,
            "order_number": request.order_number,
            "external_reference": request.reference,
            "send_tracking_emails": False,
            "delivery_option": "drop_off_labelless" if request.label_less else "drop_off_point",
        }
        if request.service_point_id:
            body["to_service_point"] = {"id": request.service_point_id}
        if request.items:
            body["parcel_items"] = request.items
        announced = self._call(
            "POST", f"{PANEL}/v3/returns/announce-synchronously", json=body
        ).json()
        parcel_id = announced.get("parcel_id")
        if not parcel_id:
            raise CarrierError("Sendcloud announced the return without a parcel.")
        parcel = self._call("GET", f"{PANEL}/v2/parcels/{parcel_id}").json().get("parcel", {})
        label = parcel.get("label") or {}
        label_url = label.get("label_printer") or next(iter(label.get("normal_printer") or []), "")
        pdf = self._call("GET", label_url).content if label_url else b""
        if pdf and not pdf.startswith(b"%PDF"):
            raise CarrierError("Sendcloud's label is not a PDF.", code="bad_label")
        return Booking(
            tracking_number=str(parcel.get("tracking_number") or ""),
            tracking_url=str(parcel.get("tracking_url") or ""),
            carrier_reference=str(announced.get("return_id") or parcel_id),
            label_pdf=pdf,
            label_less_code=str(parcel.get("label_less_code") or announced.get("code") or ""),
        )

    def service_points(self, *, country: str, postcode: str, limit: int) -> list[ServicePoint]:
        params = {"country": country, "address": postcode, "radius": 5000}
        carriers = self.credentials.get("service_point_carriers")
        if carriers:
            params["carrier"] = carriers
        answer = self._call("GET", SERVICE_POINTS, params=params).json()
        points = [_service_point(raw) for raw in answer if raw.get("is_active", True)]
        return sorted(points, key=lambda point: point.distance_m)[:limit]

    # --- pickups ------------------------------------------------------------------------

    def book_pickup(self, request: PickupRequest) -> str:
        start, end = request.slot.split("-")
        address = request.address
        body = {
            "carrier_code": request.carrier_code or "postnl",
            "address": _address(address),
            "time_slots": [
                {
                    "start_at": f"{request.date.isoformat()}T{start}:00",
                    "end_at": f"{request.date.isoformat()}T{end}:00",
                }
            ],
            "items": [
                {
                    "quantity": 1,
                    "container_type": "parcel",
                    "total_weight": {"value": str(request.weight_kg), "unit": "kg"},
                }
            ],
            "reference": request.reference,
            "tracking_numbers": [request.tracking_number],
        }
        answer = self._call("POST", f"{PANEL}/v3/pickups", json=body).json()
        pickup = answer.get("data") or answer
        if not pickup.get("id"):
            raise CarrierError("Sendcloud confirmed no pickup.", code="no_pickup")
        return str(pickup["id"])

    def cancel_pickup(self, reference: str) -> None:
        self._call("POST", f"{PANEL}/v3/pickups/{reference}/cancel")

    # --- tracking (polling when no webhook arrives) ----------------------------------------

    def track(self, tracking_number: str) -> TrackingUpdate:
        """The parcel's current status from ``GET /api/v2/parcels?tracking_number=``: the
        same status id and message a webhook carries, so both store one event per status."""
        answer = self._call(
            "GET", f"{PANEL}/v2/parcels", params={"tracking_number": tracking_number}
        ).json()
        parcels = [p for p in answer.get("parcels") or [] if p.get("tracking_number")]
        parcel = next((p for p in parcels if p.get("is_return")), None) or next(iter(parcels), None)
        if parcel is None:
            raise CarrierError(
                f"Sendcloud knows no parcel {tracking_number}.", code="unknown_parcel"
            )
        status = parcel.get("status") or {}
        status_id = int(status.get("id") or 0)
        moment = parcel.get("date_updated") or parcel.get("date_created") or ""
        try:
            occurred = timezone.make_aware(datetime.datetime.strptime(moment, "%d-%m-%Y %H:%M:%S"))
        except ValueError:
            occurred = timezone.now()
        return TrackingUpdate(
            tracking_number=tracking_number,
            events=[
                TrackingEvent(
                    occurred_at=occurred,
                    code=str(status_id),
                    description=str(status.get("message") or ""),
                )
            ],
            in_transit=status_id not in NOT_YET_MOVING_STATUS_IDS,
            delivered=status_id in DELIVERED_STATUS_IDS,
            one_event_per_code=True,
        )

    # --- webhooks ------------------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: dict[str, str]) -> TrackingUpdate:
        signature = headers.get(SIGNATURE_HEADER, "")
        expected = hmac.new(
            self.credentials["secret_key"].encode(), body, hashlib.sha256
        ).hexdigest()
        if not signature or not hmac.compare_digest(signature, expected):
            raise BadSignature()
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise CarrierError("The webhook body is not JSON.", code="bad_payload") from exc
        parcel = payload.get("parcel") or {}
        status = parcel.get("status") or {}
        status_id = int(status.get("id") or 0)
        moment = datetime.datetime.fromtimestamp(
            int(payload.get("timestamp") or 0) / 1000, tz=datetime.UTC
        )
        event = TrackingEvent(
            occurred_at=moment,
            code=str(status_id),
            description=str(status.get("message") or ""),
        )
        return TrackingUpdate(
            tracking_number=str(parcel.get("tracking_number") or ""),
            events=[event] if payload.get("action") == "parcel_status_changed" else [],
            in_transit=status_id not in NOT_YET_MOVING_STATUS_IDS,
            delivered=status_id in DELIVERED_STATUS_IDS,
            one_event_per_code=True,
        )


def _seconds(value: str | None) -> int:
    try:
        return max(1, min(int(value or 60), 3600))
    except ValueError:
        return 60


def sign(secret_key: str, body: bytes) -> str:
    """The signature Sendcloud sends with a webhook (used by tests and the docs)."""
    return hmac.new(secret_key.encode(), body, hashlib.sha256).hexdigest()


def error_message(response: requests.Response) -> str:
    """Sendcloud's error answers: v3 ``{"errors": [{"detail", "source"}]}`` or v2
    ``{"error": {"message"}}``."""
    try:
        data = response.json()
    except ValueError:
        return f"Sendcloud answered {response.status_code}."
    if isinstance(data, dict) and isinstance(data.get("errors"), list):
        parts = []
        for error in data["errors"]:
            pointer = (error.get("source") or {}).get("pointer", "")
            detail = error.get("detail") or error.get("title") or error.get("code") or ""
            parts.append(f"{pointer}: {detail}" if pointer else str(detail))
        return "; ".join(parts) or f"Sendcloud answered {response.status_code}."
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        return str(data["error"].get("message") or data["error"])
    return f"Sendcloud answered {response.status_code}."


def _address(address) -> dict:
    return {
        "name": address.name,
        "company_name": address.company,
        "address_line_1": address.street,
        "house_number": address.house_number,
        "postal_code": address.postcode,
        "city": address.city,
        "country_code": address.country,
        "email": address.email,
        "phone_number": address.phone,
    }


def _service_point(raw: dict) -> ServicePoint:
    hours = raw.get("formatted_opening_times") or {}
    opening = [
        (int(day), ", ".join(times) if times else "")
        for day, times in sorted(hours.items(), key=lambda item: int(item[0]))
        if str(day).isdigit() and int(day) < 7
    ]
    street = f"{raw.get('street', '')} {raw.get('house_number', '')}".strip()
    return ServicePoint(
        id=str(raw["id"]),
        name=str(raw.get("name", "")),
        street=street,
        postcode=str(raw.get("postal_code", "")),
        city=str(raw.get("city", "")),
        country=str(raw.get("country", "")),
        latitude=float(raw.get("latitude") or 0),
        longitude=float(raw.get("longitude") or 0),
        distance_m=int(raw.get("distance") or 0),
        carrier=str(raw.get("carrier", "")),
        opening_hours=opening,
    )
