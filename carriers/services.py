"""Carrier business rules: accounts, booking return shipments, pickups and tracking.

A return that needs a parcel and is served by one of the shop's carrier accounts gets one
``ReturnShipment`` row when it is requested (the portal stores the chosen service point or
pickup slot on it). Approval queues the booking after commit. Booking locks the row and
skips it when another worker holds it, so parallel tasks never book twice; carrier errors
are retried with growing pauses and, after the last try, shown to staff. Tracking updates
(webhooks and polling) store the carrier's events and move the return to in transit
through the returns workflow.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from carriers import selectors
from carriers.connectors import CarrierError, connector_for
from carriers.connectors.base import Address, BookingRequest
from carriers.models import CarrierAccount, ReturnShipment
from carriers.parcels import (
    ParcelChoice,
    parcel_choose,
    parcel_types_normalise,
    return_weight_kg,
)
from carriers.statuses import PickupStatus, ShipmentStatus
from returns.models import ReturnRequest
from returns.statuses import ReturnMethod, ReturnStatus
from returns.workflow import return_move
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.events import DomainEvent
from returns_platform.tenancy import require_current_tenant

logger = logging.getLogger(__name__)

ACTOR = Actor.system("carriers")
MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(minutes=1)
# The booking outcome the task acts on.
BOOKED, RETRY, FAILED, SKIPPED = "booked", "retry", "failed", "skipped"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 minutes ... between tries."""
    return FIRST_PAUSE * (2 ** max(attempts - 1, 0))


# --- accounts -------------------------------------------------------------------------

ACCOUNT_FIELDS = (
    "active",
    "countries",
    "methods",
    "service_code",
    "return_name",
    "return_street",
    "return_house_number",
    "return_postcode",
    "return_city",
    "return_country",
    "pickup_categories",
    "pickup_min_weight_kg",
    "parcel_types",
    "default_item_weight_grams",
)


@transaction.atomic
def carrier_account_save(
    *, carrier: str, actor: Actor, values: dict[str, Any], credentials: dict | None = None
) -> CarrierAccount:
    """Create or update the shop's account for ``carrier``. ``credentials`` replaces the
    stored ones when given (empty values keep what is stored: secrets are write-only)."""
    account = CarrierAccount.objects.select_for_update().filter(carrier=carrier).first()
    created = account is None
    account = account or CarrierAccount(carrier=carrier)
    for name in ACCOUNT_FIELDS:
        if name in values:
            setattr(account, name, values[name])
    account.parcel_types = parcel_types_normalise(account.parcel_types or [])
    if credentials:
        merged = dict(account.credentials or {})
        merged.update({key: value for key, value in credentials.items() if value not in ("", None)})
        account.credentials = merged
    connector_for(carrier, account.credentials or {})  # refuses missing credentials
    account.save()
    forget = selectors.forget_active_accounts()  # now, and again once the change commits
    transaction.on_commit(forget)
    events.record(
        "carrier_account.created" if created else "carrier_account.updated",
        actor=actor,
        subject_id=carrier,
        data={
            **{name: getattr(account, name) for name in ACCOUNT_FIELDS},
            "credentials_changed": sorted((credentials or {}).keys()),
        },
    )
    return account


def return_address(account: CarrierAccount) -> Address:
    tenant = require_current_tenant()
    street = account.return_street or tenant.return_address_street
    return Address(
        name=account.return_name or tenant.return_address_name or tenant.name,
        company=tenant.name,
        street=street,
        house_number=account.return_house_number,
        postcode=account.return_postcode or tenant.return_address_postcode,
        city=account.return_city or tenant.return_address_city,
        country=account.return_country or tenant.return_address_country,
    )


def customer_address(return_request: ReturnRequest) -> Address:
    return order_address(return_request.order, email=return_request.email)


def order_address(order, *, email: str = "") -> Address:
    """Where the customer lives (the order's shipping address): the parcel's origin."""
    name = (order.customer.name if order.customer_id else "") or order.shipping_name
    street, _, number = (order.shipping_street or "").rpartition(" ")
    if not street or not any(ch.isdigit() for ch in number):
        street, number = order.shipping_street or "", ""
    return Address(
        name=name or email,
        street=street,
        house_number=number,
        postcode=order.shipping_postcode,
        city=order.shipping_city,
        country=order.shipping_country,
        email=email,
        phone=(order.customer.phone if order.customer_id else "") or "",
    )


# --- shipments ------------------------------------------------------------------------


def shipment_plan(*, return_request: ReturnRequest) -> ReturnShipment | None:
    """The return's shipment row (created when an account serves the return)."""
    existing = selectors.shipment_of(return_request)
    if existing is not None or not selectors.needs_carrier(return_request):
        return existing
    account = selectors.account_for(
        method=return_request.method,
        country=return_request.order.shipping_country,
        categories=selectors.return_categories(return_request),
        items=selectors.return_items(return_request),
    )
    if account is None:
        return None
    shipment, _ = ReturnShipment.objects.get_or_create(
        return_request=return_request, defaults={"account": account}
    )
    return shipment


@transaction.atomic
def shipment_choose(
    *,
    return_request: ReturnRequest,
    service_point: dict | None = None,
    pickup_date=None,
    pickup_slot: str = "",
) -> ReturnShipment | None:
    """Store the customer's service point or pickup slot on the return's shipment."""
    shipment = shipment_plan(return_request=return_request)
    if shipment is None:
        return None
    shipment.service_point = service_point or {}
    if return_request.method == ReturnMethod.PICKUP and pickup_date:
        shipment.pickup_date, shipment.pickup_slot = pickup_date, pickup_slot
        shipment.pickup_status = PickupStatus.REQUESTED
    shipment.save(
        update_fields=["service_point", "pickup_date", "pickup_slot", "pickup_status", "updated_at"]
    )
    return shipment


def booking_queue(shipment: ReturnShipment) -> None:
    from carriers.tasks import book_return_shipment

    tenant_id, shipment_id = shipment.tenant_id, shipment.pk
    transaction.on_commit(lambda: book_return_shipment.delay(tenant_id, shipment_id), robust=True)


# The events ``handle_event`` acts on (subject: the return, by RMA).
SUBSCRIBED_EVENTS = ("return.requested", "return.approved", "return.cancelled")


def handle_event(event: DomainEvent) -> None:
    """Subscriber: plan the shipment on request, book on approval, cancel the pickup on
    cancellation. Only rows and after-commit tasks here, no carrier calls."""
    if event.subject_type != "return" or event.name not in SUBSCRIBED_EVENTS:
        return
    if not selectors.has_active_accounts():
        return  # the platform's own label serves: nothing to plan
    return_request = (
        ReturnRequest.objects.select_related("order").filter(rma=event.subject_id).first()
    )
    if return_request is None:
        return
    shipment = shipment_plan(return_request=return_request)
    if shipment is None:
        return
    if event.name == "return.approved" and shipment.status == ShipmentStatus.PENDING:
        booking_queue(shipment)
    elif event.name == "return.cancelled" and shipment.pickup_status == PickupStatus.BOOKED:
        from carriers.tasks import cancel_pickup

        tenant_id, shipment_id = shipment.tenant_id, shipment.pk
        transaction.on_commit(lambda: cancel_pickup.delay(tenant_id, shipment_id), robust=True)


def shipment_weight_kg(shipment: ReturnShipment) -> float:
    """The booked parcel's weight (before booking: the return's, from its lines)."""
    if shipment.weight_kg is not None:
        return float(shipment.weight_kg)
    return float(return_weight_kg(shipment.return_request, shipment.account))


def _parcel_store(shipment: ReturnShipment) -> ParcelChoice:
    """Weigh the return and pick its parcel type (ParcelTooHeavy above the limit)."""
    weight = return_weight_kg(shipment.return_request, shipment.account)
    shipment.weight_kg = weight
    parcel = parcel_choose(shipment.account, weight)
    shipment.parcel_type = parcel.code or shipment.account.service_code
    shipment.parcel_price = parcel.price
    shipment.parcel_currency = require_current_tenant().currency if parcel.price is not None else ""
    return parcel


def _booking_request(
    shipment: ReturnShipment, *, parcel: ParcelChoice, with_pickup: bool
) -> BookingRequest:
    return_request = shipment.return_request
    return BookingRequest(
        reference=return_request.rma,
        order_number=return_request.order.number,
        sender=customer_address(return_request),
        recipient=return_address(shipment.account),
        weight_kg=float(parcel.weight_kg),
        service_code=parcel.code or shipment.account.service_code,
        service_point_id=str((shipment.service_point or {}).get("id", "")),
        label_less=return_request.method == ReturnMethod.QR_DROP_OFF,
        pickup_date=shipment.pickup_date if with_pickup else None,
    )


@transaction.atomic
def shipment_book(*, shipment_id: int, now=None) -> str:
    """Book one shipment with its carrier; returns BOOKED, RETRY, FAILED or SKIPPED.

    The row is locked with SKIP LOCKED: a second worker given the same shipment while the
    first is talking to the carrier skips it, and one that comes later finds it booked.
    """
    now = now or timezone.now()
    shipment = (
        ReturnShipment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("account", "return_request", "return_request__order")
        .filter(pk=shipment_id)
        .first()
    )
    if shipment is None or shipment.status != ShipmentStatus.PENDING:
        return SKIPPED
    return_request = shipment.return_request
    if return_request.status not in (ReturnStatus.APPROVED, ReturnStatus.LABEL_CREATED):
        return SKIPPED
    shipment.attempts += 1
    try:
        connector = connector_for(shipment.account.carrier, shipment.account.credentials)
        parcel = _parcel_store(shipment)
        with_pickup = (
            connector.books_pickup_with_shipment
            and shipment.pickup_status == PickupStatus.REQUESTED
            and shipment.pickup_date is not None
        )
        booking = connector.book_return(
            _booking_request(shipment, parcel=parcel, with_pickup=with_pickup)
        )
    except CarrierError as error:
        return _booking_failed(shipment, error, now=now)
    shipment.status = ShipmentStatus.BOOKED
    shipment.tracking_number = booking.tracking_number
    shipment.tracking_url = booking.tracking_url
    shipment.carrier_reference = booking.carrier_reference
    shipment.label_less_code = booking.label_less_code
    shipment.booked_at, shipment.last_error, shipment.next_attempt_at = now, "", None
    if with_pickup and booking.pickup_reference:
        shipment.pickup_status = PickupStatus.BOOKED
        shipment.pickup_reference = booking.pickup_reference
    if booking.label_pdf:
        shipment.label_pdf.save(
            f"{return_request.rma}-carrier.pdf", ContentFile(booking.label_pdf), save=False
        )
    shipment.save()
    events.record(
        "return.carrier_booked",
        actor=ACTOR,
        subject_id=return_request.rma,
        order_number=return_request.order.number,
        data={
            "carrier": shipment.account.carrier,
            "tracking_number": booking.tracking_number,
            "attempts": shipment.attempts,
            "weight_kg": str(shipment.weight_kg),
            "parcel_type": shipment.parcel_type,
        },
    )
    if return_request.status == ReturnStatus.APPROVED:
        return_move(
            return_request=return_request,
            to=ReturnStatus.LABEL_CREATED,
            actor=ACTOR,
            data={"carrier": shipment.account.carrier, "tracking_number": booking.tracking_number},
        )
    if shipment.pickup_status == PickupStatus.BOOKED and with_pickup:
        events.record(
            "return.pickup_booked",
            actor=ACTOR,
            subject_id=return_request.rma,
            order_number=return_request.order.number,
            data={"date": shipment.pickup_date.isoformat(), "slot": shipment.pickup_slot},
        )
    elif shipment.pickup_status == PickupStatus.REQUESTED:
        from carriers.tasks import book_pickup

        tenant_id, pk = shipment.tenant_id, shipment.pk
        transaction.on_commit(lambda: book_pickup.delay(tenant_id, pk), robust=True)
    return BOOKED


def _booking_failed(shipment: ReturnShipment, error: CarrierError, *, now) -> str:
    last_try = not error.retryable or shipment.attempts >= MAX_ATTEMPTS
    shipment.last_error = f"{error.code}: {error.message}"[:2000]
    shipment.status = ShipmentStatus.FAILED if last_try else ShipmentStatus.PENDING
    shipment.next_attempt_at = None if last_try else now + backoff(shipment.attempts)
    shipment.save(
        update_fields=[
            "attempts",
            "last_error",
            "status",
            "next_attempt_at",
            "weight_kg",
            "parcel_type",
            "parcel_price",
            "parcel_currency",
            "updated_at",
        ]
    )
    logger.warning(
        "Booking shipment %s failed (try %s): %s", shipment.pk, shipment.attempts, error.message
    )
    if last_try:
        events.record(
            "return.carrier_failed",
            actor=ACTOR,
            subject_id=shipment.return_request.rma,
            order_number=shipment.return_request.order.number,
            data={"carrier": shipment.account.carrier, "error": shipment.last_error},
        )
        return FAILED
    return RETRY


@transaction.atomic
def shipment_retry(*, shipment: ReturnShipment, actor: Actor) -> ReturnShipment:
    """Staff ask for another try after the last one failed."""
    locked = ReturnShipment.objects.select_for_update().get(pk=shipment.pk)
    if locked.status != ShipmentStatus.FAILED:
        return locked
    locked.status, locked.attempts, locked.next_attempt_at = ShipmentStatus.PENDING, 0, None
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    events.record(
        "return.carrier_retry",
        actor=actor,
        subject_id=locked.return_request.rma,
        data={"carrier": locked.account.carrier},
    )
    booking_queue(locked)
    return locked


def due_bookings(now) -> list[int]:
    return list(
        ReturnShipment.objects.filter(
            status=ShipmentStatus.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
