"""Commands on orders: upsert (one or many, in a bounded number of queries) and shop events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.module_loading import import_string

from orders.dates import event_dates_check, order_dates_check
from orders.guards import (
    line_holds,
    refuse_currency_change,
    refuse_held_line_change,
    refuse_total_below_paid,
)
from orders.models import Customer, Order, OrderEvent, OrderLine
from orders.statuses import EVENT_ALLOWED_FROM, OrderEventType, OrderKind, OrderStatus
from returns_platform import events
from returns_platform.api_fields import decimal_limit
from returns_platform.audit import Actor
from returns_platform.bulk import bulk_insert
from returns_platform.errors import ConflictError, DomainError
from returns_platform.money import amount_text, quantize, to_decimal
from tenants.models import SalesChannel

ORDER_FIELDS = (
    "email",
    "language",
    "currency",
    "shipping_name",
    "shipping_street",
    "shipping_postcode",
    "shipping_city",
    "shipping_country",
    "placed_at",
    "shipped_at",
    "delivered_at",
    "carrier",
    "tracking_number",
    "invoice_number",
    "delivery_cost",
    "company",
    "vat_id",
    "payment_link",
)
LINE_FIELDS = (
    "sku",
    "name",
    "category",
    "quantity",
    "unit_price",
    "tax_rate",
    "returnable",
    "image_url",
    "variants",
    "weight_grams",
)
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
NUMBER_CONSTRAINT = "order_unique_number"


def normalize_postcode(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def status_from_dates(
    *, current: str, shipped_at: datetime | None, delivered_at: datetime | None
) -> str:
    """Dates sent with an upsert move an order forward, never back nor out of cancelled."""
    if current == OrderStatus.CANCELLED:
        return current
    if delivered_at is not None:
        return OrderStatus.DELIVERED
    if shipped_at is not None and current in (OrderStatus.PLACED, OrderStatus.DELAYED):
        return OrderStatus.SHIPPED
    return current


# The largest total the order's total column holds (max_digits 14, 2 places).
TOTAL_LIMIT = decimal_limit(14, 2)


def _order_total(lines: Sequence[dict], delivery_cost: Decimal) -> Decimal:
    """The order's total; one the column cannot hold is refused (422 ``amount_too_large``)
    before the database would answer with a numeric overflow."""
    total = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal("0")) + (
        delivery_cost or Decimal("0")
    )
    if total > TOTAL_LIMIT:
        raise DomainError(code="amount_too_large", field="lines", params={"limit": TOTAL_LIMIT})
    return total


def _apply(instance: Any, values: dict, fields: Sequence[str]) -> list[str]:
    changed = []
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            setattr(instance, name, values[name])
            changed.append(name)
    return changed


def orders_bulk_upsert(*, orders: Sequence[dict], actor: Actor) -> list[tuple[Order, str]]:
    """Create or update orders by number; return each with created/updated/unchanged.

    The number of queries does not depend on how many orders or lines are sent. Replaying
    the same payload changes nothing (no write, no audit event). Lines are matched by
    their position in the payload, so their ids stay stable across upserts.

    Two requests creating the same new number at once: the second one's insert waits for
    the first to commit and then violates the unique number. Its work is rolled back (to
    a savepoint when called inside a transaction) and done once more, now finding the
    order the first created, so it updates instead of answering an error.
    """
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _bulk_upsert(orders=orders, actor=actor)
        except IntegrityError as error:
            if attempt or not _is_number_taken(error):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _is_number_taken(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == NUMBER_CONSTRAINT


def _bulk_upsert(*, orders: Sequence[dict], actor: Actor) -> list[tuple[Order, str]]:
    numbers = [data["number"] for data in orders]
    seen: set[str] = set()
    for index, number in enumerate(numbers):
        if number in seen:
            raise DomainError(
                code="duplicate_number", field=f"orders[{index}].number", params={"number": number}
            )
        seen.add(number)

    for index, data in enumerate(orders):
        order_dates_check(data=data, field=lambda name, i=index: _field(orders, i, name))

    channel_codes = {data["channel"] for data in orders if data.get("channel")}
    channels = {c.code: c for c in SalesChannel.objects.filter(code__in=channel_codes)}
    for index, data in enumerate(orders):
        if data.get("channel") and data["channel"] not in channels:
            raise DomainError(
                code="unknown_channel",
                field=_field(orders, index, "channel"),
                params={"code": data["channel"]},
            )

    existing = {
        order.number: order
        for order in Order.objects.select_for_update().filter(number__in=numbers)
    }
    existing_lines: dict[int, dict[int, OrderLine]] = {}
    holds: dict[int, dict] = {}
    if existing:
        for line in OrderLine.objects.filter(order__in=existing.values()):
            existing_lines.setdefault(line.order_id, {})[line.position] = line
        holds = line_holds(existing_lines)

    customers = _customers_for(orders)
    now = timezone.now()
    results: list[tuple[Order, str]] = []
    new_orders, changed_orders, changed_order_fields = [], [], set()
    for data in orders:
        values = {name: data[name] for name in ORDER_FIELDS if name in data}
        values["postcode_normalized"] = normalize_postcode(data["shipping_postcode"])
        values["channel"] = channels.get(data.get("channel") or "")
        values["customer"] = customers[data["email"].lower()]
        values["total"] = _order_total(data["lines"], data.get("delivery_cost", Decimal("0")))
        order = existing.get(data["number"])
        if order is None:
            order = Order(number=data["number"], **values)
            order.status = status_from_dates(
                current=OrderStatus.PLACED,
                shipped_at=order.shipped_at,
                delivered_at=order.delivered_at,
            )
            order.created_at = order.updated_at = now
            new_orders.append(order)
            results.append((order, CREATED))
            continue
        refuse_currency_change(order, values.get("currency", order.currency), existing_lines, holds)
        refuse_total_below_paid(order, values["total"])
        changed = _apply(order, values, (*ORDER_FIELDS, "postcode_normalized", "total"))
        if order.channel_id != (values["channel"].pk if values["channel"] else None):
            order.channel = values["channel"]
            changed.append("channel")
        if order.customer_id != values["customer"].pk:
            order.customer = values["customer"]
            changed.append("customer")
        status = status_from_dates(
            current=order.status, shipped_at=order.shipped_at, delivered_at=order.delivered_at
        )
        if status != order.status:
            order.status = status
            changed.append("status")
        results.append((order, UPDATED if changed else UNCHANGED))
        if changed:
            changed_orders.append(order)
            changed_order_fields.update(changed)

    if new_orders:
        bulk_insert(Order, new_orders)
    lines_changed = _sync_lines(orders, results, existing_lines, holds)
    for order, outcome in results:
        if outcome == UNCHANGED and order.pk in lines_changed:
            changed_orders.append(order)
    if changed_orders:
        for order in changed_orders:
            order.updated_at = now
        Order.objects.bulk_update(changed_orders, [*changed_order_fields, "updated_at"])
    results = [
        (order, UPDATED if outcome == UNCHANGED and order.pk in lines_changed else outcome)
        for order, outcome in results
    ]
    events.record_many(
        actor=actor,
        occurrences=[
            events.Occurrence(
                f"order.{outcome}",
                subject=order,
                order_number=order.number,
                data={"total": order.total, "currency": order.currency, "status": order.status},
            )
            for order, outcome in results
            if outcome != UNCHANGED
        ],
    )
    changed = [order for order, outcome in results if outcome != UNCHANGED]
    if changed:
        # One event per batch (each order has its own history entry above): the days
        # whose sales figures the batch changed.
        events.record(
            "order.upserted",
            actor=actor,
            subject_id=changed[0].number if len(changed) == 1 else "",
            data={
                "count": len(changed),
                "days": sorted(
                    {timezone.localtime(o.placed_at).date().isoformat() for o in changed}
                ),
            },
        )
    return results


def _field(orders: Sequence[dict], index: int, name: str) -> str:
    return name if len(orders) == 1 else f"orders[{index}].{name}"


def _customers_for(orders: Sequence[dict]) -> dict[str, Customer]:
    wanted: dict[str, dict] = {}
    for data in orders:
        customer = data.get("customer") or {}
        wanted[data["email"].lower()] = {
            "name": customer.get("name") or data.get("shipping_name", ""),
            "phone": customer.get("phone", ""),
        }
    found = {c.email: c for c in Customer.objects.filter(email__in=wanted)}
    missing = [
        Customer(email=email, **fields) for email, fields in wanted.items() if email not in found
    ]
    if missing:
        Customer.objects.bulk_create(missing, ignore_conflicts=True)
        found = {c.email: c for c in Customer.objects.filter(email__in=wanted)}
    changed = [c for email, c in found.items() if _apply(c, wanted[email], ("name", "phone"))]
    if changed:
        Customer.objects.bulk_update(changed, ["name", "phone"])
    return found


def _sync_lines(
    orders: Sequence[dict],
    results: list[tuple[Order, str]],
    existing_lines: dict[int, dict[int, OrderLine]],
    holds: dict[int, dict],
) -> set[int]:
    """Create, update and remove lines in three statements; return orders whose lines changed."""
    to_create, to_update, to_delete, changed_fields = [], [], [], set()
    touched: set[int] = set()
    for data, (order, _) in zip(orders, results, strict=True):
        current = existing_lines.get(order.pk, {})
        for position, line_data in enumerate(data["lines"], start=1):
            values = {name: line_data[name] for name in LINE_FIELDS if name in line_data}
            line = current.pop(position, None)
            if line is None:
                to_create.append(OrderLine(order=order, position=position, **values))
                touched.add(order.pk)
            else:
                refuse_held_line_change(order, line, values, holds.get(line.pk))
                changed = _apply(line, values, LINE_FIELDS)
                if changed:
                    to_update.append(line)
                    changed_fields.update(changed)
                    touched.add(order.pk)
        for line in current.values():
            to_delete.append(line)
            touched.add(order.pk)
    if to_delete:
        try:
            OrderLine.objects.filter(pk__in=[line.pk for line in to_delete]).delete()
        except ProtectedError as error:
            # A line a return refers to stays: its id is part of the return's record.
            line = next(iter(error.protected_objects)).order_line
            raise ConflictError(
                code="line_in_use", params={"position": line.position, "number": line.order.number}
            ) from error
    if to_update:
        OrderLine.objects.bulk_update(to_update, sorted(changed_fields))
    if to_create:
        bulk_insert(OrderLine, to_create)
    return touched


def order_upsert(*, data: dict, actor: Actor) -> tuple[Order, str]:
    return orders_bulk_upsert(orders=[data], actor=actor)[0]


@transaction.atomic
def order_event_record(
    *,
    order: Order,
    event_type: str,
    actor: Actor,
    occurred_at: datetime | None = None,
    tracking_number: str = "",
    carrier: str = "",
    expected_at: datetime | None = None,
    reason: str = "",
    refund: dict | str | None = None,
) -> OrderEvent:
    """Record a shop event on an order and move the order to the status it names.

    The one rule of cancelling: only an order that has not shipped (placed, delayed) can
    be cancelled, whatever the interface. A cancellation may carry the refund the shop
    made (``{"amount", "reference"}``) or ask the platform to issue it (``"issue"``); the
    event (and so the mail) states a refund only when one is recorded.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status not in EVENT_ALLOWED_FROM[event_type]:
        raise ConflictError(
            code="invalid_order_event",
            status_now=order.status,
            params={"status": order.status, "event": event_type},
        )
    if refund is not None and event_type != OrderEventType.CANCELLED:
        raise DomainError(code="invalid_refund.only_on_cancel", field="refund")
    occurred_at = occurred_at or timezone.now()
    event_dates_check(event_type=event_type, expected_at=expected_at)
    data: dict[str, Any] = {}
    if event_type == OrderEventType.SHIPPED:
        order.shipped_at = occurred_at
        order.tracking_number = tracking_number or order.tracking_number
        order.carrier = carrier or order.carrier
        data = {"tracking_number": order.tracking_number, "carrier": order.carrier}
    elif event_type == OrderEventType.DELAYED:
        order.expected_delivery_at = expected_at
        data = {"expected_at": expected_at.isoformat() if expected_at else None, "reason": reason}
    elif event_type == OrderEventType.DELIVERED:
        order.delivered_at = occurred_at
    elif event_type == OrderEventType.CANCELLED:
        order.cancelled_at = occurred_at
        data = {"reason": reason, "currency": order.currency}
        recorded = _cancellation_refund(order=order, refund=refund, actor=actor)
        if recorded:
            data.update(refund=recorded, refund_amount=recorded["amount"])
    previous = order.status
    order.status = event_type
    order.save()
    event = OrderEvent.objects.create(
        order=order, type=event_type, occurred_at=occurred_at, data=data
    )
    events.record(
        f"order.{event_type}",
        actor=actor,
        subject=order,
        order_number=order.number,
        data={**data, "from": previous, "event_id": event.pk},
        payload={"order_number": order.number, "event_id": event.pk, **data},
    )
    return event


def _cancellation_refund(*, order: Order, refund: dict | str | None, actor: Actor) -> dict | None:
    """The refund a cancellation records: the shop's own, or one the platform issues."""
    if refund is None:
        return None
    if refund == "issue":
        service = import_string(settings.ORDER_REFUND_SERVICE)
        return service(order=order, actor=actor)
    if not isinstance(refund, dict):
        raise DomainError(code="invalid_refund.shape", field="refund")
    try:
        amount = quantize(to_decimal(refund.get("amount")), order.currency)
    except (TypeError, ValueError) as error:
        raise DomainError(code="invalid_refund.shape", field="refund.amount") from error
    if not 0 < amount <= order.total:
        raise DomainError(
            code="invalid_refund.too_high",
            field="refund.amount",
            params={"total": order.total, "currency": order.currency},
        )
    return {
        "amount": str(amount),
        "currency": order.currency,
        "by": "shop",
        "reference": str(refund.get("reference") or "")[:200],
    }


@transaction.atomic
def exchange_order_create(
    *, original: Order, rma: str, lines: Sequence[dict], actor: Actor
) -> Order:
    """The new order an exchange ships: ``kind="exchange"``, ``exchange_for=<RMA>``, to the
    original order's customer and address, its lines at the prices paid.

    ``lines``: ``[{"sku", "name", "category", "quantity", "unit_price", "tax_rate"}]``.
    One per return: a second call finds the first order (the unique constraint on
    ``exchange_for`` backs this up). Publishes ``order.exchange_created`` for the shop's
    system to ship it.
    """
    existing = Order.objects.filter(kind=OrderKind.EXCHANGE, exchange_for=rma).first()
    if existing is not None:
        return existing
    now = timezone.now()
    total = _order_total(lines, Decimal("0"))
    order = Order.objects.create(
        number=f"{rma}-X",
        kind=OrderKind.EXCHANGE,
        exchange_for=rma,
        channel=original.channel,
        customer=original.customer,
        email=original.email,
        language=original.language,
        currency=original.currency,
        shipping_name=original.shipping_name,
        shipping_street=original.shipping_street,
        shipping_postcode=original.shipping_postcode,
        shipping_city=original.shipping_city,
        shipping_country=original.shipping_country,
        postcode_normalized=original.postcode_normalized,
        company=original.company,
        vat_id=original.vat_id,
        placed_at=now,
        total=total,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                position=position,
                sku=line["sku"],
                name=line["name"],
                category=line.get("category", ""),
                quantity=line["quantity"],
                unit_price=line["unit_price"],
                tax_rate=line.get("tax_rate", Decimal("0")),
            )
            for position, line in enumerate(lines, start=1)
        ]
    )
    data = {
        "number": order.number,
        "exchange_for": rma,
        "original_order": original.number,
        "email": order.email,
        "language": order.language,
        "currency": order.currency,
        "total": amount_text(total, order.currency),
        "shipping_address": {
            "name": order.shipping_name,
            "street": order.shipping_street,
            "postcode": order.shipping_postcode,
            "city": order.shipping_city,
            "country": order.shipping_country,
        },
        "lines": [
            {
                "sku": line["sku"],
                "name": line["name"],
                "quantity": line["quantity"],
                "unit_price": str(line["unit_price"]),
            }
            for line in lines
        ],
    }
    events.record(
        "order.exchange_created",
        actor=actor,
        subject=order,
        order_number=original.number,
        data=data,
    )
    return order
