"""Decisions on complaints: what a warranty case ends in, recorded once with its reason.

``return_decide`` records ``repair | replace | refund | reject`` for a complaint:
- repair / refund set the return's resolution, so completing it after inspection repairs
  (``repair.requested``) or pays through the resolution (credit note and refund);
- replace sets the resolution to a replacement and creates the exchange order at once
  (the requested lines, at the prices paid), as an exchange does;
- reject states the shop's legal basis (the policy's ``rejection_legal_basis``, from the
  request's snapshot) and cancels the request when its status still allows it.
The decision is audited (``return.decided``, so it is in the history), published as an
event of the same name and shown on the consumer's status page.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from credits.services.common import actor_key
from credits.services.exchange import return_exchange_order
from returns.models import ReturnDecision, ReturnLine, ReturnRequest
from returns.predicates import case_takes_decision, is_final
from returns.statuses import (
    DecisionKind,
    Resolution,
    ReturnStatus,
    allowed_targets,
)
from returns.workflow import check_hold, return_event_data, return_move
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError

RESOLUTION_OF = {
    DecisionKind.REPAIR: Resolution.REPAIR,
    DecisionKind.REPLACE: Resolution.REPLACEMENT,
    DecisionKind.REFUND: Resolution.REFUND,
}


@transaction.atomic
def return_decide(
    *, return_request: ReturnRequest, decision: str, reason: str, actor: Actor, user: Any = None
) -> ReturnDecision:
    locked = (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer", "assignee", "held_by")
        .get(pk=return_request.pk)
    )
    if not case_takes_decision(locked.case_type):
        raise ConflictError(code="not_a_complaint", params={"rma": locked.rma})
    earlier = ReturnDecision.objects.filter(request=locked).first()
    if earlier is not None:
        raise ConflictError(
            code="already_decided", params={"rma": locked.rma, "decision": earlier.decision}
        )
    if is_final(locked):
        raise ConflictError(code="final", params={"rma": locked.rma, "status": locked.status})
    check_hold(locked, actor=actor, user=user)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(code="reason_required.decision", field="reason")
    decision = DecisionKind(decision)
    legal_basis = ""
    if decision == DecisionKind.REJECT:
        legal_basis = (locked.policy_snapshot or {}).get("rejection_legal_basis", "")
    else:
        locked.resolution = RESOLUTION_OF[decision]
        locked.save(update_fields=["resolution", "updated_at"])
    recorded = ReturnDecision.objects.create(
        request=locked,
        decision=decision,
        reason=reason,
        legal_basis=legal_basis,
        decided_by=f"{actor_key(actor)} {actor.label}"[:250],
    )
    exchange_order = None
    if decision == DecisionKind.REPLACE:
        lines = ReturnLine.objects.filter(request=locked).select_related("order_line")
        exchange_order, _difference = return_exchange_order(
            return_request=locked,
            lines=[(line, line.quantity) for line in lines.order_by("id")],
            actor=actor,
        )
    data = {
        "decision": decision.value,
        "reason": reason,
        "legal_basis": legal_basis,
        "exchange_order": exchange_order.number if exchange_order else "",
    }
    events.record(
        "return.decided",
        actor=actor,
        subject=locked,
        order_number=locked.order.number,
        data=data,
        payload={**return_event_data(locked, to=locked.status, previous=locked.status), **data},
    )
    cancellable = ReturnStatus.CANCELLED in allowed_targets(locked.status, locked.case_type)
    if decision == DecisionKind.REJECT and cancellable:
        return_move(
            return_request=locked, to=ReturnStatus.CANCELLED, actor=actor, user=user, reason=reason
        )
    return_request.resolution = locked.resolution
    return recorded
