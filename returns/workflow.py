"""The return workflow: the only code that assigns ``ReturnRequest.status``.

``return_move`` is the one public way to change a return's status: the API, the back
office, the portal, the carriers' tracking and the other services all call it. It sends
``completed`` through the resolution (``RETURN_RESOLUTION_SERVICE``: credit note, refund,
voucher or exchange), which completes the return in its own transaction through the
primitive ``return_transition``; every other move goes to ``return_transition`` directly.
Only this module and the resolution service call the primitive (a test keeps it so).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from returns.models import ReturnRequest, access_token_for
from returns.predicates import needs_parcel
from returns.statuses import ReturnStatus, allowed_targets, is_allowed
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.models import ActorKind
from returns_platform.money import amount_text
from returns_platform.tenancy import require_current_tenant
from tenants.models import Membership, Role


class InvalidTransition(ConflictError):
    code = "invalid_transition"


class HeldByAnother(ConflictError):
    code = "held_by_another"


def status_path(return_request: ReturnRequest) -> str:
    """The consumer's status page: no login, a signed token."""
    return status_path_for(return_request.tenant_id, return_request.rma)


def status_path_for(tenant_id: int, rma: str) -> str:
    """``status_path`` of the current shop's return ``rma`` (its shop's id: ``tenant_id``)."""
    return f"/r/{require_current_tenant().slug}/s/{access_token_for(tenant_id, rma)}/"


def return_event_data(
    return_request: ReturnRequest, *, to: str, previous: str, reason: str = ""
) -> dict:
    """The data every ``return.*`` event carries (the notifications app renders from it)."""
    order = return_request.order
    customer_name = (order.customer.name if order.customer_id else "") or order.shipping_name
    return {
        "rma": return_request.rma,
        "order_number": order.number,
        "email": return_request.email,
        "language": return_request.language,
        "customer_name": customer_name,
        "status": str(to),
        "from": str(previous),
        "reason": reason,
        "case_type": return_request.case_type,
        "method": return_request.method,
        "needs_parcel": needs_parcel(return_request),
        "resolution": return_request.resolution,
        "refund_total": amount_text(return_request.refund_total, return_request.currency),
        "currency": return_request.currency,
        "assignee_email": return_request.assignee.email if return_request.assignee_id else "",
        "status_path": status_path(return_request),
    }


def _is_tenant_admin(user: Any) -> bool:
    return Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def check_hold(return_request: ReturnRequest, *, actor: Actor, user: Any) -> None:
    """On hold, only the holder or an admin may act. Shop systems (API keys) and the
    system act with the shop's authority; a consumer never changes a held request."""
    if return_request.status != ReturnStatus.ON_HOLD or return_request.held_by_id is None:
        return
    if actor.kind in (ActorKind.API_KEY, ActorKind.SYSTEM) and user is None:
        return
    if user is not None and (user.pk == return_request.held_by_id or _is_tenant_admin(user)):
        return
    raise HeldByAnother(
        held_by=return_request.held_by.email,
        params={"rma": return_request.rma, "held_by": return_request.held_by.email},
    )


@transaction.atomic
def return_transition(
    *,
    return_request: ReturnRequest,
    to: str,
    actor: Actor,
    user: Any = None,
    reason: str = "",
    data: dict | None = None,
) -> ReturnRequest:
    """Move a request to ``to``: lock, check table and hold, save, audit and publish.

    The row is re-read under a lock, so two staff members acting at once are ordered and
    the second sees the first's result. ``user`` is the staff member behind ``actor``.
    """
    locked = (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer", "assignee", "held_by")
        .get(pk=return_request.pk)
    )
    previous = str(locked.status)
    to = str(to)
    allowed = allowed_targets(previous, locked.case_type, locked.keep_item)
    if to not in allowed:
        raise InvalidTransition(
            field="to",
            params={"status": previous, "to": to},
            allowed=allowed,
            status_now=previous,
        )
    check_hold(locked, actor=actor, user=user)
    reason = (reason or "").strip()
    if to == ReturnStatus.CANCELLED and not reason:
        raise DomainError(code="reason_required", field="reason")

    locked.status = to
    locked.status_changed_at = timezone.now()
    if to == ReturnStatus.ON_HOLD:
        locked.held_by = user
    elif previous == ReturnStatus.ON_HOLD:
        locked.held_by = None
    locked.save(update_fields=["status", "status_changed_at", "held_by", "updated_at"])
    events.record(
        f"return.{to}",
        actor=actor,
        subject=locked,
        order_number=locked.order.number,
        data={
            "from": previous,
            "to": to,
            "reason": reason,
            "held_by": locked.held_by.email if locked.held_by_id else "",
            **(data or {}),
        },
        payload=return_event_data(locked, to=to, previous=previous, reason=reason),
    )
    if to == ReturnStatus.APPROVED and getattr(settings, "RETURN_APPROVED_SERVICE", ""):
        # What approval sets off beyond the status: paying a kept item, shipping an
        # exchange's replacement first (the credits app's ``return_approved``).
        import_string(settings.RETURN_APPROVED_SERVICE)(
            return_request=locked, actor=actor, user=user
        )
        locked.refresh_from_db(fields=["status", "status_changed_at", "updated_at"])
    # The caller's object follows the change.
    return_request.status = locked.status
    return_request.status_changed_at = locked.status_changed_at
    return_request.held_by = locked.held_by
    return_request.updated_at = locked.updated_at
    return locked


def return_move(
    *,
    return_request: ReturnRequest,
    to: str,
    actor: Actor,
    user: Any = None,
    reason: str = "",
    data: dict | None = None,
) -> ReturnRequest:
    """Move a request to ``to``; completing it runs the resolution, which pays what the
    return owes and completes it in the same transaction (a repeated call pays nothing).

    A move the table refuses is answered by the workflow (409 ``invalid_transition``).
    """
    path = getattr(settings, "RETURN_RESOLUTION_SERVICE", "")
    completing = str(to) == ReturnStatus.COMPLETED
    if (
        completing
        and path
        and is_allowed(
            return_request.status, to, return_request.case_type, return_request.keep_item
        )
    ):
        import_string(path)(return_request=return_request, actor=actor, user=user)
        return return_request
    return return_transition(
        return_request=return_request, to=to, actor=actor, user=user, reason=reason, data=data
    )
