"""Fixtures of the credits tests: an order, published events, vouchers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from credits.models import PaymentProviderAccount
from credits.services import voucher_issue
from orders.tests.factories import create_order
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context

STAFF = Actor.system("test")


@pytest.fixture
def published():
    """Domain events published while the test runs."""
    seen: list[events.DomainEvent] = []
    events.subscribe(seen.append)
    yield seen
    events._subscribers.remove(seen.append)


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


@pytest.fixture
def stripe_account(tenant):
    with tenant_context(tenant):
        return PaymentProviderAccount.objects.create(
            provider="stripe", api_key="sk_test_123", is_default=True
        )


@pytest.fixture
def mollie_account(tenant):
    with tenant_context(tenant):
        return PaymentProviderAccount.objects.create(provider="mollie", api_key="test_abcdefghij")


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


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
):
    """A return of every unit of a new order (2 shirts, 1 jeans), received and inspected.

    ``accepted`` maps a SKU to ``(received_quantity, accepted_amount)``; the default
    accepts every unit at its paid price. Runs in the current tenant scope.
    """
    from returns import services as returns_services
    from returns.models import ReturnPolicy
    from returns.selectors import return_policy_get
    from returns.workflow import return_transition

    policy = return_policy_get()
    ReturnPolicy.objects.filter(pk=policy.pk).update(
        store_credit_bonus_percent=Decimal(bonus_percent),
        resolutions=["refund", "store_credit", "exchange", "replacement", "repair"],
    )
    order = recent_order(number)
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
    )
    return_transition(return_request=return_request, to="approved", actor=STAFF)
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
