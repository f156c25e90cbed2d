"""Tracking: the carrier's events on the shipment, and the return moving to in transit."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from carriers.connectors import CarrierError, connector_for
from carriers.connectors.base import RateLimited, TrackingUpdate
from carriers.models import ReturnShipment, ShipmentEvent
from carriers.services import ACTOR
from carriers.statuses import Carrier, ShipmentStatus
from returns.statuses import ReturnStatus
from returns.workflow import return_move
from returns_platform import events

# Shipments still travelling: polled, and moved by webhooks.
OPEN_STATUSES = (ShipmentStatus.BOOKED, ShipmentStatus.IN_TRANSIT)
# Carriers without webhooks for returns: their parcels are polled.
POLLED_CARRIERS = (Carrier.DHL_PARCEL_DE, Carrier.DPD, Carrier.GLS)
# Carriers with webhooks: polled only when their webhooks have been silent for SILENCE.
FALLBACK_CARRIERS = (Carrier.SENDCLOUD,)
SILENCE = timedelta(hours=3)
# At most this many look-ups per carrier account and round (rate limits are per account).
ROUND_BUDGET = 50


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
    known_codes = {code for _, code in known} if update.one_event_per_code else set()
    fresh = [
        ShipmentEvent(
            shipment=locked,
            occurred_at=event.occurred_at,
            code=event.code[:50],
            description=event.description[:500],
            location=event.location[:200],
        )
        for event in update.events
        if (event.occurred_at, event.code[:50]) not in known and event.code[:50] not in known_codes
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
        events.record(
            "return.carrier_delivered",
            actor=ACTOR,
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


def open_shipments_to_poll(now=None) -> list[ReturnShipment]:
    """Shipments still travelling with a carrier without webhooks, and those of webhook
    carriers that have heard nothing for SILENCE (the webhook may be misconfigured or lost).
    Least recently tracked first."""
    now = now or timezone.now()
    silent = now - SILENCE
    due = Q(account__carrier__in=POLLED_CARRIERS) | Q(
        Q(tracked_at__isnull=True, booked_at__lte=silent) | Q(tracked_at__lte=silent),
        account__carrier__in=FALLBACK_CARRIERS,
    )
    return list(
        ReturnShipment.objects.filter(due, status__in=OPEN_STATUSES)
        .exclude(tracking_number="")
        .select_related("account")
        .order_by(F("tracked_at").asc(nulls_first=True), "pk")
    )


def _pause_key(account_id: int) -> str:
    return f"carriers:poll-pause:{account_id}"


def tracking_poll_round(now=None) -> int:
    """One polling round of the current shop: at most ROUND_BUDGET look-ups per account;
    a carrier's 429 pauses that account for its Retry-After. Returns the new events."""
    added, asked = 0, Counter()
    paused = set()
    for shipment in open_shipments_to_poll(now):
        account_id = shipment.account_id
        if account_id in paused or asked[account_id] >= ROUND_BUDGET:
            continue
        if cache.get(_pause_key(account_id)):
            paused.add(account_id)
            continue
        asked[account_id] += 1
        try:
            added += tracking_poll(shipment_id=shipment.pk)
        except RateLimited as limited:
            cache.set(_pause_key(account_id), True, limited.retry_after)
            paused.add(account_id)
    return added


def tracking_poll(*, shipment_id: int) -> int:
    """Ask the carrier for news about one shipment (no transaction held while asking).
    A rate limit is raised to the round; other carrier errors wait for the next round."""
    shipment = ReturnShipment.objects.select_related("account").filter(pk=shipment_id).first()
    if shipment is None or shipment.status not in OPEN_STATUSES:
        return 0
    connector = connector_for(shipment.account.carrier, shipment.account.credentials)
    try:
        update = connector.track(shipment.tracking_number)
    except RateLimited:
        raise
    except CarrierError:
        return 0  # the next round asks again
    return tracking_apply(shipment=shipment, update=update, source="polling")
