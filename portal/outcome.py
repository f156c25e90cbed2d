"""What the status page tells the customer about the outcome of a return: the items and
quantities, the refund preview and later the accepted amounts, the refund's state with
its date, the voucher with its balance, and what happens next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from credits.selectors import return_resolution_find
from credits.statuses import RefundStatus
from orders.models import Order
from orders.statuses import OrderKind, OrderStatus
from returns.selectors import return_history
from returns.statuses import ReturnStatus

NEXT_STEPS = {
    ReturnStatus.REQUESTED: _("We check your request and let you know by e-mail."),
    ReturnStatus.CONCEPT: _("We check your request and let you know by e-mail."),
    ReturnStatus.ON_HOLD: _("We check your request and let you know by e-mail."),
    ReturnStatus.APPROVED: _("Send the parcel as described above."),
    ReturnStatus.LABEL_CREATED: _("Send the parcel as described above."),
    ReturnStatus.IN_TRANSIT: _("Your parcel is on its way to us; we check it when it arrives."),
    ReturnStatus.RECEIVED: _("We have your parcel and check the items."),
    ReturnStatus.INSPECTED: _("The items are checked; the refund follows."),
}

# How the status page names the state of the order that ships a replacement.
EXCHANGE_STATES = {
    OrderStatus.PLACED: _("being prepared"),
    OrderStatus.DELAYED: _("delayed"),
    OrderStatus.SHIPPED: _("shipped"),
    OrderStatus.DELIVERED: _("delivered"),
    OrderStatus.CANCELLED: _("cancelled"),
}


def exchange_order_of(return_request, resolution):
    """The order that ships the replacement: the resolution's, or the one a complaint's
    "replace" decision created (no resolution yet). Read only when one can exist."""
    if resolution is not None and resolution.exchange_order_id:
        return resolution.exchange_order
    if return_request.resolution not in ("exchange", "replacement"):
        return None
    return Order.objects.filter(kind=OrderKind.EXCHANGE, exchange_for=return_request.rma).first()


def cancellation_reason(return_request) -> str:
    """The reason recorded with the cancellation (the one the cancellation mail gave)."""
    if return_request.status != ReturnStatus.CANCELLED:
        return ""
    event = return_history(return_request=return_request).filter(action="return.cancelled").last()
    return str((event.data or {}).get("reason", "")) if event is not None else ""


def return_outcome(return_request, language: str) -> dict:
    """The facts the status page shows; amounts stay Decimal (the template formats them)."""
    lines = [
        {
            "name": line.name,
            "quantity": line.quantity,
            "reason": line.reason.label(language),
            "accepted": line.accepted_amount,
            "accepted_reason": line.accepted_reason,
            "replacement": line.exchange_name or (line.exchange_sku and line.name),
            "replacement_is_same": line.exchange_sku == line.sku,
        }
        for line in return_request.lines.select_related("order_line", "reason")
    ]
    resolution = return_resolution_find(rma=return_request.rma)
    refund = voucher = None
    if resolution is not None and resolution.refund_id:
        refund = resolution.refund
    if resolution is not None and resolution.voucher_id:
        voucher = resolution.voucher
    exchange = exchange_order_of(return_request, resolution)
    return {
        "lines": lines,
        "currency": return_request.currency,
        "preview_total": (return_request.refund_preview or {}).get("total"),
        "resolution": resolution,
        "refund": refund,
        "refund_paid": refund is not None and refund.status == RefundStatus.SUCCEEDED,
        "refund_failed": refund is not None and refund.status == RefundStatus.FAILED,
        "voucher": voucher,
        "exchange_order": exchange,
        "exchange_state": EXCHANGE_STATES.get(exchange.status, "") if exchange else "",
        "cancellation_reason": cancellation_reason(return_request),
        "price_difference": resolution.price_difference if resolution is not None else None,
        "next_step": NEXT_STEPS.get(return_request.status, ""),
    }
