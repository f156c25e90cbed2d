"""Changes to a request once it exists: waive the return cost, reassign, withdraw."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from returns.models import ReturnLine, ReturnRequest
from returns.predicates import can_withdraw
from returns.services.common import locked_request, request_preview
from returns.statuses import (
    ReturnStatus,
)
from returns.workflow import (
    InvalidTransition,
    check_hold,
    return_event_data,
    return_move,
)
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from tenants.models import Membership

WITHDRAWN = "Withdrawn by the customer."


@transaction.atomic
def return_set_free(
    *, return_request: ReturnRequest, is_free: bool, actor: Actor, user: Any = None
) -> ReturnRequest:
    """Waive (or re-apply) the return cost; the preview follows, by the request's snapshot.

    A held request changes only by its holder or an admin, as in ``return_move``.
    """
    locked = locked_request(return_request)
    check_hold(locked, actor=actor, user=user)
    if locked.status in (ReturnStatus.COMPLETED, ReturnStatus.CANCELLED, ReturnStatus.EXPIRED):
        raise ConflictError(
            code="not_changeable", params={"status": ReturnStatus(locked.status).label}
        )
    if locked.is_free_return == is_free:
        return locked
    lines = list(ReturnLine.objects.filter(request=locked).select_related("order_line"))
    preview = request_preview(
        order=locked.order,
        lines=[(line.order_line, line.quantity) for line in lines],
        case_type=locked.case_type,
        resolution=locked.resolution,
        return_cost=locked.return_cost,
        is_free_return=is_free,
        policy=locked.policy_snapshot,
        full_withdrawal=bool(locked.refund_preview.get("full_withdrawal")),
    )
    previous_total = locked.refund_total
    locked.is_free_return = is_free
    locked.refund_preview = preview
    locked.refund_total = Decimal(preview["total"])
    locked.save(update_fields=["is_free_return", "refund_preview", "refund_total", "updated_at"])
    events.record(
        "return.free_return_set",
        actor=actor,
        subject=locked,
        order_number=locked.order.number,
        data={"is_free_return": is_free, "from_total": previous_total, "total": preview["total"]},
        payload=return_event_data(locked, to=locked.status, previous=locked.status),
    )
    return_request.is_free_return = is_free
    return_request.refund_preview = preview
    return_request.refund_total = locked.refund_total
    return locked


@transaction.atomic
def return_withdraw(
    *, return_request: ReturnRequest, actor: Actor, reason: str = ""
) -> ReturnRequest:
    """The consumer takes back a request nobody has started on (requested -> cancelled)."""
    locked = locked_request(return_request)
    if not can_withdraw(locked):
        raise InvalidTransition(
            code="not_withdrawable",
            params={"rma": locked.rma},
            allowed=[],
            status_now=locked.status,
        )
    return return_move(
        return_request=return_request,
        to=ReturnStatus.CANCELLED,
        actor=actor,
        reason=reason or WITHDRAWN,
    )


@transaction.atomic
def return_reassign(
    *, return_request: ReturnRequest, assignee: Any, actor: Actor, user: Any = None
) -> ReturnRequest:
    """Give the request to another staff member of the shop (or to nobody).

    A held request changes only by its holder or an admin, as in ``return_move``.
    """
    locked = locked_request(return_request)
    check_hold(locked, actor=actor, user=user)
    if assignee is not None and not Membership.objects.filter(user=assignee).exists():
        raise DomainError(code="not_a_member", field="assignee", params={"email": assignee.email})
    previous = locked.assignee.email if locked.assignee_id else ""
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    events.record(
        "return.reassigned",
        actor=actor,
        subject=locked,
        order_number=locked.order.number,
        data={"from": previous, "to": assignee.email if assignee else ""},
        payload=return_event_data(locked, to=locked.status, previous=locked.status),
    )
    return_request.assignee = assignee
    return locked
