"""Bulk actions on the queue: one core service per selected request, each in its own
transaction, so one refusal does not stop the others."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from returns.models import ReturnRequest
from returns.services import return_reassign
from returns.workflow import return_move
from returns_platform.audit import Actor
from returns_platform.errors import DomainError

BULK_ACTIONS = ("concept", "approved", "on_hold", "assign")


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, DomainError]] = field(default_factory=list)


def returns_bulk_act(
    *,
    return_requests: Sequence[ReturnRequest],
    action: str,
    actor: Actor,
    user: Any,
    assignee: Any = None,
) -> BulkResult:
    """Apply one action to each selected request, each in its own transaction.

    A refused request (held by a colleague, not allowed from its status) does not stop
    the others; the result says which were done and why the rest were refused.
    """
    if action not in BULK_ACTIONS:
        raise DomainError(code="invalid_action", field="action", params={"action": action})
    result = BulkResult()
    for return_request in return_requests:
        try:
            if action == "assign":
                return_reassign(
                    return_request=return_request, assignee=assignee, actor=actor, user=user
                )
            else:
                return_move(return_request=return_request, to=action, actor=actor, user=user)
        except DomainError as error:
            result.refused.append((return_request.rma, error))
        else:
            result.done.append(return_request.rma)
    return result
