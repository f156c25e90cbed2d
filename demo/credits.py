"""Demo credits for the demo shop: a store-credit return completed through its resolution
(voucher with bonus + booked credit note), a refunded return waiting for the manual
payout, a forgotten discount cheque turned into a refund, and a draft credit note.

Called by ``manage.py seed_demo`` inside the tenant's scope, after the returns demo;
idempotent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from credits.codes import format_code
from credits.models import CreditNote, ReturnResolution
from credits.services import credit_note_create, discount_cheque_refund, return_resolve
from credits.services.credit_notes import Payout
from orders.models import Order
from returns import services as returns_services
from returns.workflow import return_move
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from tenants.models import Membership, Role

WELCOME_CHEQUE = "Welcome cheque WELCOME5 not applied at checkout"
# (resolution, method, reason): each filed, approved, received, inspected and resolved.
PLAN = [
    ("store_credit", "qr_drop_off", "changed_mind"),
    ("refund", "drop_off", "too_large"),
]


def _staff(role: str) -> Any:
    membership = Membership.objects.select_related("user").filter(role=role).first()
    return membership.user if membership else None


def _fresh_orders():
    """Delivered orders without a return yet, newest first."""
    return (
        Order.objects.filter(delivered_at__isnull=False, return_requests__isnull=True)
        .prefetch_related("lines")
        .order_by("-delivered_at", "id")
    )


def _resolved_return(*, order, resolution, method, reason, agent, warehouse):
    lines = [line for line in order.lines.all() if line.returnable][:2]
    if not lines:
        return None
    agent_actor = Actor.staff(agent) if agent else Actor.system("seed_demo")
    warehouse_actor = Actor.staff(warehouse) if warehouse else agent_actor
    try:
        with transaction.atomic():
            return_request = returns_services.return_request_create(
                order=order,
                case_type="return",
                resolution=resolution,
                method=method,
                lines=[
                    {"order_line": line.pk, "quantity": 1, "reason_code": reason} for line in lines
                ],
                actor=Actor.consumer(order.email),
            )
            return_move(return_request=return_request, to="approved", actor=agent_actor, user=agent)
            returns_services.return_receive(
                return_request=return_request,
                lines=[
                    {
                        "line_id": line.pk,
                        "received_quantity": line.quantity,
                        "condition": "as_new",
                        "disposition": "restock",
                    }
                    for line in return_request.lines.all()
                ],
                actor=warehouse_actor,
                user=warehouse,
                complete_inspection=True,
            )
            return return_resolve(return_request=return_request, actor=agent_actor, user=agent)
    except DomainError:
        return None  # a rule refuses this order (window, country ...): try the next


def seed(*, tenant: Any, stdout: Any) -> None:
    # The returns demo completes (and so pays) returns too: look for this demo's own work.
    if CreditNote.objects.filter(description=WELCOME_CHEQUE).exists():
        stdout.write(f"{tenant.slug}: credits already seeded.")
        return
    agent = _staff(Role.AGENT) or _staff(Role.ADMIN)
    admin = _staff(Role.ADMIN)
    warehouse = _staff(Role.WAREHOUSE)
    candidates = iter(_fresh_orders())
    for resolution, method, reason in PLAN:
        for order in candidates:
            done = _resolved_return(
                order=order,
                resolution=resolution,
                method=method,
                reason=reason,
                agent=agent,
                warehouse=warehouse,
            )
            if done is not None:
                if done.voucher_id:
                    stdout.write(
                        f"{tenant.slug}: {done.rma} completed as store credit: voucher "
                        f"{format_code(done.voucher.code)} ({done.voucher.balance} "
                        f"{done.currency}), credit note {done.credit_note.number}."
                    )
                break
    agent_actor = Actor.staff(agent) if agent else Actor.system("seed_demo")
    orders = list(Order.objects.order_by("-placed_at")[:2])
    if orders:
        discount_cheque_refund(
            order=orders[0],
            amount=Decimal("5.00"),
            description=WELCOME_CHEQUE,
            actor=Actor.staff(admin) if admin else agent_actor,
        )
    if len(orders) > 1:
        credit_note_create(
            order=orders[1],
            reason="damaged_item",
            description="Scratch on the sole; customer keeps the item",
            amount=Decimal("10.00"),
            tax_rate=Decimal("21.00"),
            payout=Payout(method="voucher"),
            actor=agent_actor,
        )
    stdout.write(f"{tenant.slug}: {ReturnResolution.objects.count()} resolved demo returns.")
