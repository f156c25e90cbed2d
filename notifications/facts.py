"""What is recorded about an event's subject, read when its mails are planned.

A mail states only what is recorded. The event's data says what changed; the rows say
the rest: the items of a return with their reasons and the warehouse's findings, the
carrier's shipment (tracking, first scan, a booked pickup), what a resolution paid
line by line, where and when a refund was paid. Each
loader returns plain data (strings, numbers, lists, dicts) merged into the event's data,
and an empty dict when the row is not there (the mail then leaves the fact out).
"""

from __future__ import annotations

from typing import Any

from returns_platform.events import DomainEvent

# Events whose mails need more than their data: event -> the loaders to run.
LINE_EVENTS = ("return.requested", "return.inspected")
SHIPMENT_EVENTS = ("return.label_created", "return.in_transit")


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _money(value: Any) -> str:
    return "" if value is None else str(value)


def _request(rma: str):
    from returns.models import ReturnRequest

    if not rma:
        return None
    return ReturnRequest.objects.select_related("order").filter(rma=rma).first()


def return_lines(rma: str) -> list[dict]:
    """The items of a return: quantity, name, reason (in every mail language), comment,
    and what the warehouse found (received quantity, condition, accepted amount)."""
    from notifications.mails import LANGUAGES
    from returns.models import ReturnLine

    if not rma:
        return []
    lines = (
        ReturnLine.objects.filter(request__rma=rma)
        .select_related("order_line", "reason")
        .order_by("pk")
    )
    return [
        {
            "name": line.order_line.name,
            "sku": line.order_line.sku,
            "quantity": line.quantity,
            "reasons": {language: line.reason.label(language) for language in LANGUAGES},
            "comment": line.comment,
            "received_quantity": line.received_quantity,
            "condition": line.condition,
            "paid": _money(line.unit_price * line.quantity),
            "accepted_amount": _money(line.accepted_amount),
            "accepted_reason": line.accepted_reason,
        }
        for line in lines
    ]


def shipment_facts(rma: str) -> dict:
    """The carrier shipment of a return: tracking, first scan and a booked pickup."""
    from carriers.models import ReturnShipment
    from carriers.statuses import PickupStatus

    if not rma:
        return {}
    shipment = (
        ReturnShipment.objects.select_related("account").filter(return_request__rma=rma).first()
    )
    if shipment is None:
        return {}
    pickup = {}
    if shipment.pickup_date and shipment.pickup_status in (
        PickupStatus.REQUESTED,
        PickupStatus.BOOKED,
    ):
        pickup = {
            "date": _date(shipment.pickup_date),
            "window": shipment.pickup_slot,
            "confirmed": shipment.pickup_status == PickupStatus.BOOKED,
        }
    return {
        "carrier": shipment.account.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "in_transit_at": _date(shipment.in_transit_at),
        "pickup": pickup,
    }


def resolution_facts(rma: str) -> dict:
    """What completing a return recorded: the amount, the accepted lines, the exchange."""
    from credits.selectors import return_resolution_find

    resolution = return_resolution_find(rma=rma) if rma else None
    if resolution is None:
        return {}
    exchange = resolution.exchange_order
    return {
        "outcome": resolution.outcome,
        "amount": _money(resolution.amount),
        "bonus": _money(resolution.bonus),
        "currency": resolution.currency,
        "lines": [
            {
                "name": line.get("name", ""),
                "quantity": line.get("quantity", 0),
                "condition": line.get("condition", ""),
                "paid": line.get("paid", ""),
                "amount": line.get("amount", ""),
                "deducted": line.get("deducted", ""),
                "reason": line.get("reason", ""),
            }
            for line in resolution.lines or []
        ],
        "exchange_order": exchange.number if exchange else "",
        "price_difference": _money(resolution.price_difference),
        "voucher_code": resolution.voucher.code if resolution.voucher_id else "",
    }


def refund_facts(refund_id: str) -> dict:
    """Where and when a refund was paid, and the return it pays for."""
    from credits.models import Refund
    from returns.workflow import status_path

    refund = Refund.objects.select_related("credit_note").filter(pk=refund_id).first()
    if refund is None:
        return {}
    facts: dict[str, Any] = {
        "paid_on": _date(refund.succeeded_at),
        "payout": refund.credit_note.payout_method if refund.credit_note_id else "",
    }
    rma = refund.credit_note.return_rma if refund.credit_note_id else ""
    request = _request(rma)
    if request is not None:
        facts.update(rma=rma, status_path=status_path(request))
    return facts


def exchange_facts(data: dict) -> dict:
    """The customer and the status page of the return an exchange order replaces."""
    from returns.workflow import status_path

    request = _request(str(data.get("exchange_for") or ""))
    if request is None:
        return {}
    order = request.order
    customer_name = (order.customer.name if order.customer_id else "") or order.shipping_name
    return {
        "rma": request.rma,
        "order_number": order.number,
        "customer_name": customer_name,
        "status_path": status_path(request),
    }


def free_return_facts(rma: str) -> dict:
    request = _request(rma)
    if request is None:
        return {}
    return {"is_free_return": request.is_free_return, "return_cost": _money(request.return_cost)}


def event_facts(event: DomainEvent) -> dict:
    """The recorded facts the mails about ``event`` state, beyond its data."""
    data = event.data or {}
    rma = str(data.get("rma") or "")
    name = event.name
    if name in LINE_EVENTS:
        return {"lines": return_lines(rma)}
    if name in SHIPMENT_EVENTS:
        return {"shipment": shipment_facts(rma)}
    if name == "return.completed":
        return {"resolved": resolution_facts(rma)}
    if name == "return.free_return_set" and "is_free_return" not in data:
        return free_return_facts(rma)
    if name == "refund.succeeded":
        return refund_facts(event.subject_id) if event.subject_id.isdigit() else {}
    if name == "order.exchange_created":
        return exchange_facts(data)
    return {}
