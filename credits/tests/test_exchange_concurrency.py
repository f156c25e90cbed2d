"""Parallel completions of one return on real PostgreSQL: one exchange order, one payment."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.models import Refund, ReturnResolution
from credits.services import return_resolve
from orders.models import Order
from returns import services as returns_services
from returns.models import ReturnRequest
from returns.policy import return_policy_update
from returns.workflow import return_move, return_transition
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, inspected_return, recent_order, run_in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_completions_of_an_exchange_create_one_order(tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="exchange")

    def complete(index):
        with tenant_context(tenant):
            if index % 2:
                return_resolve(return_request=return_request, actor=STAFF)
            else:
                return_move(return_request=return_request, to="completed", actor=STAFF)
            return "ok"

    outcomes = run_in_threads(8, complete)
    assert set(outcomes) <= {"ok", "invalid_transition", "not_resolvable"}
    with tenant_context(tenant):
        assert Order.objects.filter(kind="exchange", exchange_for=return_request.rma).count() == 1
        assert ReturnResolution.objects.filter(rma=return_request.rma).count() == 1
        assert ReturnRequest.objects.get(pk=return_request.pk).status == "completed"


def test_parallel_approvals_of_a_kept_item_pay_once(tenant):
    with tenant_context(tenant):
        return_policy_update(changes={"keep_item_below": {"EUR": "25.00"}}, actor=STAFF)
        order = recent_order("8001")
        return_request = returns_services.return_request_create(
            order=order,
            case_type="return",
            resolution="refund",
            method="drop_off",
            lines=[
                {
                    "order_line": order.lines.order_by("position")[0].pk,
                    "quantity": 1,
                    "reason_code": "too_small",
                }
            ],
            actor=Actor.consumer(order.email),
        )
        assert return_request.keep_item

    def approve(index):
        with tenant_context(tenant):
            return_transition(return_request=return_request, to="approved", actor=STAFF)
            return "ok"

    outcomes = run_in_threads(8, approve)
    assert outcomes.count("ok") == 1
    assert outcomes.count("invalid_transition") == 7
    with tenant_context(tenant):
        assert Refund.objects.count() == 1
        assert Refund.objects.get().amount == Decimal("19.95")
        assert ReturnResolution.objects.count() == 1
