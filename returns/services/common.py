"""What creating and changing a request share: the row lock, who pays the way back, the
preview, and storing an upload with the request."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.files.base import ContentFile

from orders.models import Order, OrderLine
from returns.attachments import CheckedUpload
from returns.models import Attachment, ReturnLine, ReturnRequest
from returns.preview import PreviewLine, refund_preview
from returns.statuses import (
    CaseType,
    Resolution,
)

SHOP_PAYS_CASES = (CaseType.COMPLAINT, CaseType.MISSING_ITEM)


def return_is_free(*, case_type: str, resolution: str, policy: dict) -> bool:
    """The shop pays the way back for its own faults, and for exchanges when it says so."""
    if case_type in SHOP_PAYS_CASES:
        return True
    return resolution == Resolution.EXCHANGE and bool(policy["free_return_for_exchange"])


def request_preview(
    *,
    order: Order,
    lines: Sequence[tuple[OrderLine, int]],
    case_type: str,
    resolution: str,
    return_cost: Decimal,
    is_free_return: bool,
    policy: dict,
    full_withdrawal: bool,
) -> dict:
    return refund_preview(
        currency=order.currency,
        lines=[
            PreviewLine(line.pk, line.name, line.unit_price, quantity, order.currency)
            for line, quantity in lines
        ],
        case_type=case_type,
        resolution=resolution,
        return_cost=return_cost,
        is_free_return=is_free_return,
        store_credit_bonus_percent=Decimal(policy["store_credit_bonus_percent"]),
        delivery_cost=order.delivery_cost,
        full_withdrawal=full_withdrawal,
    )


def locked_request(return_request: ReturnRequest) -> ReturnRequest:
    return (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer", "assignee", "held_by")
        .get(pk=return_request.pk)
    )


def attachment_store(
    *, return_request: ReturnRequest, upload: CheckedUpload, line: ReturnLine | None = None
) -> Attachment:
    """Store one checked upload with the request (and its line), under a random name."""
    attachment = Attachment(
        request=return_request,
        line=line,
        original_name=upload.name,
        content_type=upload.content_type,
        size=len(upload.content),
    )
    attachment.tenant_id = return_request.tenant_id
    attachment.file.save(upload.name, ContentFile(upload.content), save=False)
    attachment.save()
    return attachment
