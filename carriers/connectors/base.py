"""What every carrier connector offers, in the platform's own terms.

Connectors translate between these small value objects and a carrier's API (through
karrio where karrio covers the operation). They do no database work: the services in
``carriers.services`` decide, store and move returns through the workflow.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


class CarrierError(Exception):
    """The carrier refused the request (bad data, bad credentials): retrying won't help
    unless ``retryable`` says the carrier itself had a problem."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "carrier_error",
        retryable: bool = False,
        params: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retryable = retryable
        self.params = params or {}


class CarrierUnavailable(CarrierError):
    """Timeout, connection error or a 5xx answer: worth another try later."""

    def __init__(self, message: str, *, code: str = "carrier_unavailable"):
        super().__init__(message, code=code, retryable=True)


class RateLimited(CarrierUnavailable):
    """The carrier asks us to slow down (HTTP 429); ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: int = 60):
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after


class NotSupported(CarrierError):
    def __init__(self, message: str):
        super().__init__(message, code="not_supported")


@dataclass(frozen=True)
class Address:
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    country: str
    email: str = ""
    phone: str = ""
    company: str = ""


@dataclass(frozen=True)
class BookingRequest:
    reference: str  # the RMA
    order_number: str
    sender: Address  # the customer
    recipient: Address  # the shop's return address for this carrier
    weight_kg: float
    service_code: str = ""
    service_point_id: str = ""
    label_less: bool = False
    items: list[dict] = field(default_factory=list)
    # Carriers that collect as part of the shipment (GLS PickAndReturn) get the date here.
    pickup_date: datetime.date | None = None


@dataclass(frozen=True)
class Booking:
    tracking_number: str
    tracking_url: str = ""
    carrier_reference: str = ""
    label_pdf: bytes = b""
    label_less_code: str = ""
    pickup_reference: str = ""  # set when the booking also booked the pickup


@dataclass(frozen=True)
class ServicePoint:
    id: str
    name: str
    street: str
    postcode: str
    city: str
    country: str
    latitude: float
    longitude: float
    distance_m: int
    carrier: str = ""
    # (weekday 0 = Monday, "09:00 - 18:00"); an empty string: closed that day.
    opening_hours: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "street": self.street,
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "distance_m": self.distance_m,
            "carrier": self.carrier,
            "opening_hours": [list(pair) for pair in self.opening_hours],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServicePoint:
        return cls(
            **{
                **data,
                "opening_hours": [tuple(pair) for pair in data.get("opening_hours", [])],
            }
        )


@dataclass(frozen=True)
class PickupRequest:
    reference: str
    address: Address
    date: datetime.date
    slot: str  # "09:00-13:00"
    tracking_number: str
    carrier_code: str = ""  # Sendcloud: the carrier that collects ("postnl", "dhl", ...)
    weight_kg: float = 1.0


@dataclass(frozen=True)
class TrackingEvent:
    occurred_at: datetime.datetime
    code: str
    description: str
    location: str = ""


@dataclass(frozen=True)
class TrackingUpdate:
    tracking_number: str
    events: list[TrackingEvent]
    in_transit: bool
    delivered: bool
    # Events are one per status code (Sendcloud: webhooks and polling name the same status
    # id with different moments, so a status already stored is not stored again).
    one_event_per_code: bool = False
