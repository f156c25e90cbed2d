"""DHL Parcel DE through karrio (karrio-dhl-parcel-de).

Return labels use DHL's Returns API (karrio routes ``is_return`` shipments there): the
answer carries the label PDF and, for DHL's label-less return, a QR code the Packstation
or post office scans. DHL Parcel DE has no push notifications for returns, so the polling
task asks DHL's tracking API (also through karrio) for each shipment still on its way.
"""

from __future__ import annotations

import base64
import binascii

from carriers.connectors.base import Booking, BookingRequest, CarrierError, TrackingUpdate
from carriers.connectors.common import (
    Connector,
    karrio_address,
    karrio_call,
    karrio_gateway,
    karrio_track,
)


class DhlParcelDeConnector(Connector):
    carrier = "dhl_parcel_de"
    credential_fields = ("username", "password", "client_id", "client_secret")
    max_weight_kg = 31.5  # DHL Paket

    def _gateway(self):
        config = {}
        if self.credentials.get("return_billing_number"):
            config["return_billing_number"] = self.credentials["return_billing_number"]
        return karrio_gateway(
            "dhl_parcel_de",
            {
                "username": self.credentials["username"],
                "password": self.credentials["password"],
                "client_id": self.credentials["client_id"],
                "client_secret": self.credentials["client_secret"],
                "test_mode": bool(self.credentials.get("test_mode")),
                "config": config,
            },
        )

    def book_return(self, request: BookingRequest) -> Booking:
        import karrio.sdk as karrio

        options = {}
        if self.credentials.get("receiver_id"):
            options["dhl_parcel_de_return_receiver_id"] = self.credentials["receiver_id"]
        payload = {
            # Outbound orientation: karrio swaps the two for a return.
            "shipper": karrio_address(request.recipient),
            "recipient": karrio_address(request.sender),
            "parcels": [{"weight": request.weight_kg, "weight_unit": "KG"}],
            "service": request.service_code or "dhl_parcel_de_paket",
            "reference": request.reference,
            "options": options,
            "is_return": True,
        }
        gateway = self._gateway()
        details = karrio_call(lambda: karrio.Shipment.create(payload).from_(gateway))
        meta = details.meta or {}
        label = _pdf(details.docs.label if details.docs else None)
        qr = next(
            (
                doc
                for doc in (details.docs.extra_documents or [] if details.docs else [])
                if getattr(doc, "category", "") == "qr_label"
            ),
            None,
        )
        return Booking(
            tracking_number=str(details.tracking_number),
            tracking_url=str(meta.get("carrier_tracking_link") or ""),
            carrier_reference=str(details.shipment_identifier or details.tracking_number),
            label_pdf=label,
            label_less_code=str(meta.get("qrLink") or ("qr" if qr else "")),
        )

    def track(self, tracking_number: str) -> TrackingUpdate:
        return karrio_track(self._gateway(), tracking_number, "DHL")


def _pdf(encoded: str | None) -> bytes:
    if not encoded:
        return b""
    try:
        data = base64.b64decode(encoded, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise CarrierError("DHL's label is not base64.", code="bad_label") from exc
    if not data.startswith(b"%PDF"):
        raise CarrierError("DHL's label is not a PDF.", code="bad_label")
    return data
