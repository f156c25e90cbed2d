"""Home pickups: booked after the label, cancelled with the return."""

from __future__ import annotations

from django.db import transaction

from carriers.connectors import CarrierError, connector_for
from carriers.connectors.base import PickupRequest
from carriers.models import ReturnShipment
from carriers.services import ACTOR, customer_address, shipment_weight_kg
from carriers.statuses import PickupStatus
from returns_platform import events


@transaction.atomic
def pickup_book(*, shipment_id: int) -> str:
    shipment = (
        ReturnShipment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("account", "return_request", "return_request__order")
        .filter(pk=shipment_id)
        .first()
    )
    if shipment is None or shipment.pickup_status != PickupStatus.REQUESTED:
        return ""
    return_request = shipment.return_request
    try:
        reference = connector_for(
            shipment.account.carrier, shipment.account.credentials
        ).book_pickup(
            PickupRequest(
                reference=return_request.rma,
                address=customer_address(return_request),
                date=shipment.pickup_date,
                slot=shipment.pickup_slot,
                tracking_number=shipment.tracking_number,
                carrier_code=shipment.account.service_code.partition(":")[0],
                weight_kg=shipment_weight_kg(shipment),
            )
        )
    except CarrierError as error:
        shipment.pickup_status = PickupStatus.FAILED
        shipment.last_error = f"pickup {error.code}: {error.message}"[:2000]
        shipment.save(update_fields=["pickup_status", "last_error", "updated_at"])
        return ""
    shipment.pickup_status, shipment.pickup_reference = PickupStatus.BOOKED, reference
    shipment.save(update_fields=["pickup_status", "pickup_reference", "updated_at"])
    events.record(
        "return.pickup_booked",
        actor=ACTOR,
        subject_id=return_request.rma,
        order_number=return_request.order.number,
        data={"date": shipment.pickup_date.isoformat(), "slot": shipment.pickup_slot},
    )
    return reference


@transaction.atomic
def pickup_cancel(*, shipment_id: int) -> bool:
    shipment = (
        ReturnShipment.objects.select_for_update(of=("self",))
        .select_related("account", "return_request")
        .filter(pk=shipment_id)
        .first()
    )
    if shipment is None or shipment.pickup_status != PickupStatus.BOOKED:
        return False
    connector_for(shipment.account.carrier, shipment.account.credentials).cancel_pickup(
        shipment.pickup_reference
    )
    shipment.pickup_status = PickupStatus.CANCELLED
    shipment.save(update_fields=["pickup_status", "updated_at"])
    events.record(
        "return.pickup_cancelled",
        actor=ACTOR,
        subject_id=shipment.return_request.rma,
        data={"reference": shipment.pickup_reference},
    )
    return True
