"""What the status page tells the customer about the outcome of a return: the items and
quantities, the refund preview and later the accepted amounts, the refund's state with
its date, the voucher with its balance, and what happens next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from credits.selectors import return_resolution_find
from credits.statuses import RefundStatus
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
    return {
        "lines": lines,
        "currency": return_request.currency,
        "preview_total": (return_request.refund_preview or {}).get("total"),
        "resolution": resolution,
        "refund": refund,
        "refund_paid": refund is not None and refund.status == RefundStatus.SUCCEEDED,
        "refund_failed": refund is not None and refund.status == RefundStatus.FAILED,
        "voucher": voucher,
        "exchange_order": resolution.exchange_order if resolution is not None else None,
        "price_difference": resolution.price_difference if resolution is not None else None,
        "next_step": NEXT_STEPS.get(return_request.status, ""),
    }
