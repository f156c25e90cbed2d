"""Celery tasks of the carriers app: they take ``tenant_id`` first and reload by id."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from carriers.connectors import CarrierError
from returns_platform.tenancy import unscoped_context, with_tenant


@shared_task
@with_tenant
def book_return_shipment(tenant_id: int, shipment_id: int) -> str:
    """Book one return shipment. A failed try stays pending with ``next_attempt_at``;
    ``book_due_shipments`` runs it again then (1, 2, 4, 8 minutes apart)."""
    from carriers.services import shipment_book

    return shipment_book(shipment_id=shipment_id)


@shared_task
@with_tenant
def book_due_shipments_for_tenant(tenant_id: int) -> int:
    from carriers.services import due_bookings, shipment_book

    ids = due_bookings(timezone.now())
    for shipment_id in ids:
        shipment_book(shipment_id=shipment_id)
    return len(ids)


def _fan_out(task, **filters) -> int:
    """Run ``task`` once for every tenant that has shipments matching ``filters``."""
    from carriers.models import ReturnShipment

    with unscoped_context():
        tenant_ids = set(
            ReturnShipment.unscoped.filter(**filters).values_list("tenant_id", flat=True).distinct()
        )
    for tenant_id in sorted(tenant_ids):
        task.delay(tenant_id)
    return len(tenant_ids)


@shared_task
def book_due_shipments() -> int:
    """Periodic: fan out to every tenant with bookings waiting for their next try."""
    from carriers.statuses import ShipmentStatus

    return _fan_out(
        book_due_shipments_for_tenant,
        status=ShipmentStatus.PENDING,
        next_attempt_at__lte=timezone.now(),
    )


@shared_task(autoretry_for=(CarrierError,), retry_backoff=True, max_retries=3)
@with_tenant
def book_pickup(tenant_id: int, shipment_id: int) -> str:
    from carriers.pickups import pickup_book

    return pickup_book(shipment_id=shipment_id)


@shared_task(autoretry_for=(CarrierError,), retry_backoff=True, max_retries=5)
@with_tenant
def cancel_pickup(tenant_id: int, shipment_id: int) -> bool:
    from carriers.pickups import pickup_cancel

    return pickup_cancel(shipment_id=shipment_id)


@shared_task
@with_tenant
def poll_tracking_for_tenant(tenant_id: int) -> int:
    from carriers.tracking import tracking_poll_round

    return tracking_poll_round()


@shared_task
def poll_tracking() -> int:
    """Periodic: ask carriers without webhooks about parcels still on their way, and
    webhook carriers about parcels their webhooks have been silent on (see SILENCE)."""
    from carriers.tracking import FALLBACK_CARRIERS, OPEN_STATUSES, POLLED_CARRIERS

    return _fan_out(
        poll_tracking_for_tenant,
        status__in=OPEN_STATUSES,
        account__carrier__in=POLLED_CARRIERS + FALLBACK_CARRIERS,
    )
