"""Credits in tests: refunds at the payment providers, orders and returns to credit."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from credits.services import refund_create, voucher_issue
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from testing.images import small_png
from testing.orders import create_order
from testing.staff import TEST_ACTOR

STAFF = TEST_ACTOR


STRIPE_URL = "https://api.stripe.com/v1/refunds"


def stripe_refund(status="succeeded", amount=1000):
    return {
        "id": "re_3MtwBwLkdIwHu7ix28a3tqPa",
        "object": "refund",
        "amount": amount,
        "balance_transaction": "txn_3MtwBwLkdIwHu7ix2",
        "charge": "ch_3MtwBwLkdIwHu7ix28a3tqPa",
        "created": 1692942318,
        "currency": "eur",
        "metadata": {},
        "payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
        "reason": None,
        "status": status,
    }


def make_refund(tenant, order, provider="stripe", amount="10.00", reference=None):
    reference = reference or (
        "pi_3MtwBwLkdIwHu7ix28a3tqPa" if provider == "stripe" else "tr_WDqYK6vllg"
    )
    with tenant_context(tenant):
        return refund_create(
            order=order,
            amount=Decimal(amount),
            provider=provider,
            payment_reference=reference,
            actor=STAFF,
        )


def receive_as_new(api, rma: str, lines: list[dict]):
    """Book ``lines`` (the API's return lines) in, every unit as new, and inspected."""
    return api.post(
        f"/api/v1/returns/{rma}/receipt/",
        {
            "lines": [
                {
                    "line_id": line["id"],
                    "received_quantity": line["quantity"],
                    "condition": "as_new",
                    "disposition": "restock",
                }
                for line in lines
            ],
            "inspected": True,
        },
        format="json",
    )


def recent_order(number: str = "2001", **overrides):
    """An order delivered two days ago (inside every return window), in the current scope."""
    now = timezone.now()
    return create_order(
        number,
        invoice_number=f"INV-{number}",
        placed_at=(now - timedelta(days=4)).isoformat(),
        shipped_at=(now - timedelta(days=3)).isoformat(),
        delivered_at=(now - timedelta(days=2)).isoformat(),
        **overrides,
    )


def inspected_return(
    *,
    number: str = "2001",
    resolution: str = "store_credit",
    accepted: dict | None = None,
    bonus_percent: str = "0",
    inspect: bool = True,
    case_type: str = "return",
    method: str = "drop_off",
    language: str | None = None,
):
    """A return of every unit of a new order (2 shirts, 1 jeans), received and inspected.

    ``accepted`` maps a SKU to ``(received_quantity, accepted_amount)``; the default
    accepts every unit at its paid price. Runs in the current tenant scope.
    """
    from returns import services as returns_services
    from returns.models import ReturnPolicy
    from returns.selectors import return_policy_get
    from returns.workflow import return_move

    policy = return_policy_get()
    ReturnPolicy.objects.filter(pk=policy.pk).update(
        store_credit_bonus_percent=Decimal(bonus_percent),
        resolutions=["refund", "store_credit", "exchange", "replacement", "repair"],
    )
    order = recent_order(number, **({"language": language} if language else {}))
    lines = list(order.lines.order_by("position"))
    return_request = returns_services.return_request_create(
        order=order,
        case_type=case_type,
        resolution=resolution,
        method=method,
        lines=[
            {"order_line": line.pk, "quantity": line.quantity, "reason_code": "too_small"}
            for line in lines
        ],
        actor=Actor.consumer(order.email),
        # A complaint shows the problem (returns.predicates.case_needs_photo).
        attachments=[{"name": "problem.png", "file": small_png()}]
        if case_type == "complaint"
        else None,
    )
    return_move(return_request=return_request, to="approved", actor=STAFF)
    if not inspect:
        return return_request
    accepted = accepted or {}
    receipt = []
    for return_line in return_request.lines.select_related("order_line").order_by("id"):
        sku = return_line.order_line.sku
        received, amount = accepted.get(sku, (return_line.quantity, None))
        receipt.append(
            {
                "line_id": return_line.pk,
                "received_quantity": received,
                "condition": "as_new" if amount is None else "damaged",
                "disposition": "restock",
                "accepted_amount": amount,
                "accepted_reason": "" if amount is None else "Inspected",
            }
        )
    return returns_services.return_receive(
        return_request=return_request, lines=receipt, actor=STAFF, complete_inspection=True
    )


# Fixtures of the credits tests and the back office's credits screens.
@pytest.fixture
def order(tenant):
    with tenant_context(tenant):
        return create_order("1001", invoice_number="INV-2026-0042")


@pytest.fixture
def make_voucher(tenant):
    def make(amount="25.00", currency="EUR", target=None, **fields):
        with tenant_context(target or tenant):
            return voucher_issue(amount=Decimal(amount), currency=currency, actor=STAFF, **fields)

    return make


def run_in_threads(count: int, work, workers: int | None = None) -> list:
    """Run ``work(index)`` in ``count`` threads released together; return the outcomes."""
    workers = workers or count
    barrier = threading.Barrier(min(workers, count))

    def one(index):
        try:
            if index < workers:
                barrier.wait(timeout=30)
            return work(index)
        except DomainError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, range(count)))
