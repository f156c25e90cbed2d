"""Receiving a parcel: book in what arrived, line by line, and move the request on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from returns.attachments import CheckedUpload
from returns.inspection import accepted_amount_check
from returns.models import Attachment, ReturnLine, ReturnRequest
from returns.services.common import attachment_store, locked_request
from returns.statuses import (
    RECEIVABLE_STATUSES,
    Condition,
    Disposition,
    ReturnStatus,
)
from returns.workflow import (
    return_move,
)
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.money import amount_text


@transaction.atomic
def return_receive(
    *,
    return_request: ReturnRequest,
    lines: Sequence[dict],
    actor: Actor,
    user: Any = None,
    complete_inspection: bool = False,
) -> ReturnRequest:
    """Book in (part of) a parcel; the request moves to received, then inspected if asked.

    ``received_quantity`` is the total received so far for the line, so a second parcel
    is booked by sending the new total.
    """
    locked = locked_request(return_request)
    if locked.keep_item:
        raise ConflictError(code="no_parcel", params={"rma": locked.rma})
    if locked.status not in RECEIVABLE_STATUSES:
        raise ConflictError(
            code="not_receivable",
            status_now=locked.status,
            params={"status": ReturnStatus(locked.status).label},
        )
    own_lines = {line.pk: line for line in ReturnLine.objects.filter(request=locked)}
    changed, booked = [], []
    for index, data in enumerate(lines):
        line = own_lines.get(data["line_id"])
        if line is None:
            raise DomainError(
                code="line_not_in_return",
                field=f"lines[{index}].line_id",
                params={"line": data["line_id"], "rma": locked.rma},
            )
        received = int(data["received_quantity"])
        if not 0 <= received <= line.quantity:
            raise DomainError(
                code="received_quantity_exceeds",
                field=f"lines[{index}].received_quantity",
                params={"line": line.pk, "received": received, "quantity": line.quantity},
            )
        accepted, reason = accepted_amount_check(
            line=line, data=data, index=index, received=received, return_request=locked
        )
        line.received_quantity = received
        line.condition = Condition(data["condition"])
        line.disposition = Disposition(data["disposition"])
        line.accepted_amount = accepted
        line.accepted_reason = reason
        changed.append(line)
        booked.append(
            {
                "line": line.pk,
                "received_quantity": received,
                "condition": line.condition.value,
                "disposition": line.disposition.value,
                "accepted_amount": amount_text(accepted, return_request.currency),
                "accepted_reason": reason,
            }
        )
    if not changed:
        raise DomainError(code="no_lines", field="lines")
    ReturnLine.objects.bulk_update(
        changed,
        ["received_quantity", "condition", "disposition", "accepted_amount", "accepted_reason"],
    )
    events.record(
        "return.receipt",
        actor=actor,
        subject=locked,
        order_number=locked.order.number,
        data={"lines": booked, "state": receipt_state(list(own_lines.values()))},
    )
    if locked.status != ReturnStatus.RECEIVED:
        locked = return_move(
            return_request=locked, to=ReturnStatus.RECEIVED, actor=actor, user=user
        )
    if complete_inspection:
        locked = return_move(
            return_request=locked, to=ReturnStatus.INSPECTED, actor=actor, user=user
        )
    return locked


def receipt_state(lines: Sequence[ReturnLine]) -> str:
    """Derived, not stored: none, partial or complete (received against announced units)."""
    received = sum(line.received_quantity or 0 for line in lines)
    announced = sum(line.quantity for line in lines)
    if received == 0:
        return "none"
    return "complete" if received >= announced else "partial"


@transaction.atomic
def receipt_photos_store(
    *,
    return_request: ReturnRequest,
    photos: Sequence[tuple[ReturnLine, CheckedUpload]],
    actor: Actor,
) -> list[Attachment]:
    """Keep photos taken at receipt with their line (uploads checked by the caller)."""
    stored = []
    for line, upload in photos:
        if line.request_id != return_request.pk:
            raise DomainError(code="line_not_in_return.photo")
        stored.append(attachment_store(return_request=return_request, upload=upload, line=line))
    if stored:
        events.record(
            "return.receipt_photos",
            actor=actor,
            subject=return_request,
            order_number=return_request.order.number,
            data={"photos": [{"line": a.line_id, "name": a.original_name} for a in stored]},
        )
    return stored
