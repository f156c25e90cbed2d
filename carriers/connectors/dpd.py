"""DPD through karrio (karrio-dpd, DPD's SOAP web services): tracking by polling.

DPD's return product (Shop Return) is booked like an outgoing parcel from the customer to
the shop with DPD's return service code; karrio's DPD connector has no return operation of
its own, so the customer is the shipper and the shop the recipient.
"""

from __future__ import annotations

from carriers.connectors.base import Booking, BookingRequest, TrackingUpdate
from carriers.connectors.common import (
    Connector,
    karrio_address,
    karrio_call,
    karrio_gateway,
    karrio_track,
)
from carriers.connectors.dhl_parcel_de import _pdf


class DpdConnector(Connector):
    carrier = "dpd"
    credential_fields = ("delis_id", "password")
    max_weight_kg = 31.5  # DPD Classic

    def _gateway(self):
        return karrio_gateway(
            "dpd",
            {
                "delis_id": self.credentials["delis_id"],
                "password": self.credentials["password"],
                "depot": self.credentials.get("depot") or None,
                "account_country_code": self.credentials.get("account_country") or "BE",
                "test_mode": bool(self.credentials.get("test_mode")),
            },
        )

    def book_return(self, request: BookingRequest) -> Booking:
        import karrio.sdk as karrio

        payload = {
            "shipper": karrio_address(request.sender),
            "recipient": karrio_address(request.recipient),
            "parcels": [{"weight": request.weight_kg, "weight_unit": "KG"}],
            "service": request.service_code or "dpd_cl",
            "reference": request.reference,
        }
        gateway = self._gateway()
        details = karrio_call(lambda: karrio.Shipment.create(payload).from_(gateway))
        return Booking(
            tracking_number=str(details.tracking_number),
            tracking_url=str((details.meta or {}).get("carrier_tracking_link") or ""),
            carrier_reference=str(details.shipment_identifier or details.tracking_number),
            label_pdf=_pdf(details.docs.label if details.docs else None),
        )

    def track(self, tracking_number: str) -> TrackingUpdate:
        return karrio_track(self._gateway(), tracking_number, "DPD")
