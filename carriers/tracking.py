"""Tracking: the carrier's events on the shipment, and the return moving to in transit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from carriers.connectors import CarrierError, connector_for
from carriers.connectors.base import TrackingUpdate
from carriers.models import ReturnShipment, ShipmentEvent
from carriers.services import ACTOR
from carriers.statuses import Carrier, ShipmentStatus
from returns.statuses import ReturnStatus
from returns.workflow import return_move
from returns_platform.audit import audit_record

# Shipments still travelling: polled, and moved by webhooks.
OPEN_STATUSES = (ShipmentStatus.BOOKED, ShipmentStatus.IN_TRANSIT)
# Carriers without webhooks for returns: their parcels are polled.
POLLED_CARRIERS = (Carrier.DHL_PARCEL_DE, Carrier.DPD, Carrier.GLS)


@transaction.atomic
def tracking_apply(*, shipment: ReturnShipment, update: TrackingUpdate, source: str) -> int:
    """Store new events; the first movement puts the return in transit, delivery flags it
    "delivered to the warehouse" (staff still receive it). Returns the new events' count.
    Replayed webhooks and repeated polls add nothing twice."""
    locked = (
        ReturnShipment.objects.select_for_update(of=("self",))
        .select_related("return_request", "return_request__order", "account")
        .get(pk=shipment.pk)
    )
    known = set(ShipmentEvent.objects.filter(shipment=locked).values_list("occurred_at", "code"))
    fresh = [
        ShipmentEvent(
            shipment=locked,
            occurred_at=event.occurred_at,
            code=event.code[:50],
            description=event.description[:500],
            location=event.location[:200],
        )
        for event in update.events
        if (event.occurred_at, event.code[:50]) not in known
    ]
    ShipmentEvent.objects.bulk_create(fresh)
    now = timezone.now()
    locked.tracked_at = now
    moments = [event.occurred_at for event in update.events]
    if update.in_transit and locked.in_transit_at is None:
        locked.in_transit_at = min(moments) if moments else now
        locked.status = ShipmentStatus.IN_TRANSIT
    if update.delivered and locked.delivered_at is None:
        locked.delivered_at = max(moments) if moments else now
        locked.status = ShipmentStatus.DELIVERED
    locked.save(
        update_fields=["tracked_at", "in_transit_at", "delivered_at", "status", "updated_at"]
    )
    return_request = locked.return_request
    if locked.in_transit_at is not None:
        _move_in_transit(locked, return_request, source=source)
    if update.delivered and fresh:
        audit_record(
            actor=ACTOR,
            action="return.carrier_delivered",
            subject_type="return",
            subject_id=return_request.rma,
            order_number=return_request.order.number,
            data={"carrier": locked.account.carrier, "tracking_number": locked.tracking_number},
        )
    return len(fresh)


def _move_in_transit(shipment: ReturnShipment, return_request, *, source: str) -> None:
    data = {"carrier": shipment.account.carrier, "source": source}
    if return_request.status == ReturnStatus.APPROVED:
        return_move(
            return_request=return_request, to=ReturnStatus.LABEL_CREATED, actor=ACTOR, data=data
        )
    if return_request.status == ReturnStatus.LABEL_CREATED:
        return_move(
            return_request=return_request, to=ReturnStatus.IN_TRANSIT, actor=ACTOR, data=data
        )


def open_shipments_to_poll() -> list[int]:
    """Shipments of carriers without webhooks that are still travelling."""
    return list(
        ReturnShipment.objects.filter(
            status__in=OPEN_STATUSES, account__carrier__in=POLLED_CARRIERS
        )
        .exclude(tracking_number="")
        .values_list("pk", flat=True)
    )


def tracking_poll(*, shipment_id: int) -> int:
    """Ask the carrier for news about one shipment (no transaction held while asking)."""
    shipment = ReturnShipment.objects.select_related("account").filter(pk=shipment_id).first()
    if shipment is None or shipment.status not in OPEN_STATUSES:
        return 0
    connector = connector_for(shipment.account.carrier, shipment.account.credentials)
    try:
        update = connector.track(shipment.tracking_number)
    except CarrierError:
        return 0  # the next round asks again
    return tracking_apply(shipment=shipment, update=update, source="polling")
