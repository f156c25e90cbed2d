"""The connector base class and the bridge to karrio's gateways."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

import requests
from django.utils import timezone

from carriers.connectors.base import (
    Address,
    Booking,
    BookingRequest,
    CarrierError,
    CarrierUnavailable,
    NotSupported,
    PickupRequest,
    ServicePoint,
    TrackingEvent,
    TrackingUpdate,
)

# Home pickups when the carrier publishes no availability: weekdays only, booked by 16:00
# for the next working day (``pickup_lead_days`` of the connector), two slots a day.
PICKUP_CUTOFF_HOUR = 16
PICKUP_SLOTS = ("09:00-13:00", "13:00-17:00")
PICKUP_DAYS_OFFERED = 5


def next_pickup_dates(
    now: datetime.datetime, *, days: int = PICKUP_DAYS_OFFERED, lead_days: int = 1
) -> list:
    """The next ``days`` working days (Monday to Friday) a carrier collects on, the first
    one ``lead_days`` working days ahead (one more after the cut-off hour)."""
    lead = lead_days + (1 if now.hour >= PICKUP_CUTOFF_HOUR else 0)
    day = now.date()
    while lead:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            lead -= 1
    dates: list[datetime.date] = []
    while len(dates) < days:
        if day.weekday() < 5:
            dates.append(day)
        day += datetime.timedelta(days=1)
    return dates


class Connector:
    """A carrier's API in the platform's terms. Unsupported operations say so."""

    carrier: ClassVar[str] = ""
    credential_fields: ClassVar[tuple[str, ...]] = ()
    has_webhooks: ClassVar[bool] = False
    has_service_points: ClassVar[bool] = False
    has_pickups: ClassVar[bool] = False
    # Working days between today and the first pickup the carrier accepts.
    pickup_lead_days: ClassVar[int] = 1
    pickup_slot_names: ClassVar[tuple[str, ...]] = PICKUP_SLOTS
    # The pickup is part of the shipment booking (GLS PickAndReturn), not a call of its own.
    books_pickup_with_shipment: ClassVar[bool] = False
    # The heaviest parcel the carrier takes (None: depends on the product, e.g. Sendcloud).
    max_weight_kg: ClassVar[float | None] = None

    def __init__(self, credentials: dict) -> None:
        missing = [name for name in self.credential_fields if not credentials.get(name)]
        if missing:
            raise CarrierError(
                f"The {self.carrier} account lacks {', '.join(missing)}.",
                code="credentials_missing",
                params={"carrier": self.carrier, "missing": ", ".join(missing)},
            )
        self.credentials = credentials

    def book_return(self, request: BookingRequest) -> Booking:
        raise NotSupported(f"{self.carrier} cannot book return shipments here.")

    def service_points(self, *, country: str, postcode: str, limit: int) -> list[ServicePoint]:
        raise NotSupported(f"{self.carrier} has no service-point search here.")

    def pickup_slots(self, *, now: datetime.datetime) -> list[tuple[datetime.date, str]]:
        """The fixed rule: the next working days, the carrier's slots on each."""
        if not self.has_pickups:
            return []
        return [
            (day, slot)
            for day in next_pickup_dates(now, lead_days=self.pickup_lead_days)
            for slot in self.pickup_slot_names
        ]

    def pickup_availability(
        self, *, origin: Address, destination: Address, now: datetime.datetime
    ) -> list[tuple[datetime.date, str]] | None:
        """The carrier's own answer for collecting at ``origin`` (None: it publishes none,
        the fixed rule applies; an empty list: no pickup there)."""
        return None

    def book_pickup(self, request: PickupRequest) -> str:
        raise NotSupported(f"{self.carrier} cannot book pickups here.")

    def cancel_pickup(self, reference: str) -> None:
        raise NotSupported(f"{self.carrier} cannot cancel pickups here.")

    def track(self, tracking_number: str) -> TrackingUpdate:
        raise NotSupported(f"{self.carrier} has no tracking look-up here.")

    def parse_webhook(self, body: bytes, headers: dict[str, str]) -> TrackingUpdate:
        raise NotSupported(f"{self.carrier} sends no webhooks here.")


# --- karrio ---------------------------------------------------------------------------


def karrio_gateway(carrier: str, settings: dict):
    import karrio.sdk as karrio

    return karrio.gateway[carrier].create(settings)


def karrio_call(action: Any) -> Any:
    """Run a karrio fluent call (``karrio.Shipment.create(...).from_(gw)``) and parse it.

    Timeouts and connection errors become ``CarrierUnavailable``; the carrier's error
    messages become ``CarrierError`` (retryable when the carrier reported a server error).
    """
    try:
        result, messages = action().parse()
    except (requests.RequestException, TimeoutError, ConnectionError) as exc:
        raise CarrierUnavailable(f"The carrier did not answer: {exc}") from exc
    if messages and not result:
        first = messages[0]
        text = "; ".join(f"{m.code}: {m.message}" for m in messages)
        server_side = str(first.code).startswith("5") or "SHIPPING_SDK_INTERNAL" in str(first.code)
        if server_side:
            raise CarrierUnavailable(text, code=str(first.code))
        raise CarrierError(text, code=str(first.code or "carrier_error"))
    return result


def karrio_track(gateway: Any, tracking_number: str, carrier_label: str) -> TrackingUpdate:
    """One parcel's events through karrio's tracking interface."""
    import karrio.sdk as karrio

    details = karrio_call(
        lambda: karrio.Tracking.fetch({"tracking_numbers": [tracking_number]}).from_(gateway)
    )
    if not details:
        raise CarrierError(
            f"{carrier_label} knows no parcel {tracking_number}.", code="unknown_parcel"
        )
    return karrio_tracking_update(details[0])


def karrio_tracking_update(details: Any) -> TrackingUpdate:
    """karrio's TrackingDetails -> TrackingUpdate (events oldest first)."""
    events = []
    for event in details.events or []:
        moment = f"{event.date or '1970-01-01'} {event.time or '00:00'}"
        try:
            occurred = datetime.datetime.strptime(moment[:16], "%Y-%m-%d %H:%M")
        except ValueError:
            continue
        events.append(
            TrackingEvent(
                # karrio passes the carrier's local time without a zone; the carriers here
                # report in Central European time, the platform's TIME_ZONE.
                occurred_at=timezone.make_aware(occurred),
                code=str(event.code or ""),
                description=str(event.description or event.code or ""),
                location=str(event.location or ""),
            )
        )
    events.sort(key=lambda e: e.occurred_at)
    status = str(getattr(details, "status", "") or "")
    delivered = bool(details.delivered) or status == "delivered"
    return TrackingUpdate(
        tracking_number=str(details.tracking_number),
        events=events,
        in_transit=delivered or status in {"in_transit", "out_for_delivery"} or bool(events),
        delivered=delivered,
    )


def karrio_address(address, **extra: Any) -> dict:
    return {
        "person_name": address.name,
        "company_name": address.company or None,
        "address_line1": f"{address.street} {address.house_number}".strip(),
        "street_number": address.house_number or None,
        "postal_code": address.postcode,
        "city": address.city,
        "country_code": address.country,
        "email": address.email or None,
        "phone_number": address.phone or None,
        **extra,
    }
