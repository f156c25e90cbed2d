"""Property: whatever order the money flow's steps come in, the books reconcile.

Hypothesis draws a sequence of steps on one order (2 shirts at 19.95, jeans at 69.95,
delivery 4.95; total 114.80 EUR): returns of some units, approvals, receipts with
accepted amounts, resolutions paid as refund or voucher, goodwill credit notes paid every
way, manual refunds, redemptions and reversals, re-sent orders with another currency or
price. A step the rules refuse must refuse with a domain error and write nothing; after
every step:

- nothing is paid or credited in another currency than the order's;
- the booked credit notes never exceed the order's total, nor do the refunds;
- every voucher's balance is the sum of its ledger, between 0 and what was issued;
- return and credit-note numbers have no gaps.

Each example runs in a transaction that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits.models import CreditNote, Refund, ReturnResolution, Voucher, VoucherEntry
from credits.services import (
    credit_note_book,
    credit_note_create,
    refund_create,
    return_resolve,
    voucher_redeem,
)
from credits.services.credit_notes import Payout
from orders.models import Order
from orders.services import order_upsert
from returns import services as returns_services
from returns.models import ReturnRequest
from returns.workflow import return_transition
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, recent_order
from testing.orders import order_payload, service_data

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    """Ends an example: its transaction rolls back."""


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150.00"), places=2)

STEPS = st.one_of(
    st.tuples(
        st.just("file"),
        st.sampled_from(["refund", "store_credit"]),
        st.integers(0, 1),
        st.integers(1, 2),
    ),
    st.tuples(st.just("approve"), st.integers(0, 5)),
    st.tuples(st.just("receive"), st.integers(0, 5), st.sampled_from(["all", "part", "none"])),
    st.tuples(st.just("resolve"), st.integers(0, 5)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(
        st.just("credit_note"),
        AMOUNTS,
        st.sampled_from(["voucher", "original_payment", "bank_transfer", "gift_card"]),
    ),
    st.tuples(st.just("refund"), AMOUNTS),
    st.tuples(st.just("redeem"), st.integers(0, 5), AMOUNTS),
    st.tuples(
        st.just("resend"), st.sampled_from(["EUR", "SEK"]), st.sampled_from(["19.95", "9.95"])
    ),
)


def _returns(order: Order) -> list[ReturnRequest]:
    return list(ReturnRequest.objects.filter(order=order).order_by("id"))


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


def _payout(method: str) -> Payout:
    return {
        "voucher": Payout(method="voucher"),
        "original_payment": Payout(method="original_payment", provider="manual"),
        "bank_transfer": Payout(
            method="bank_transfer", iban="NL91ABNA0417164300", account_holder="Jan Jansen"
        ),
        "gift_card": Payout(
            method="gift_card", gift_card_provider="Shop card", gift_card_reference="GC-1"
        ),
    }[method]


def _step(order: Order, step: tuple) -> None:  # noqa: C901 - one branch per kind of step
    kind, *args = step
    if kind == "file":
        resolution, line_index, quantity = args
        line = list(order.lines.order_by("position"))[line_index]
        returns_services.return_request_create(
            order=order,
            case_type="return",
            resolution=resolution,
            method="drop_off",
            lines=[{"order_line": line.pk, "quantity": quantity, "reason_code": "too_small"}],
            actor=Actor.consumer(order.email),
        )
    elif kind == "approve" and (request := _pick(_returns(order), args[0])):
        return_transition(return_request=request, to="approved", actor=STAFF)
    elif kind == "cancel" and (request := _pick(_returns(order), args[0])):
        return_transition(return_request=request, to="cancelled", actor=STAFF)
    elif kind == "receive" and (request := _pick(_returns(order), args[0])):
        how = args[1]
        receipt = []
        for line in request.lines.order_by("id"):
            received = {"all": line.quantity, "part": 1, "none": 0}[how]
            receipt.append(
                {
                    "line_id": line.pk,
                    "received_quantity": received,
                    "condition": "as_new",
                    "disposition": "restock",
                }
            )
        returns_services.return_receive(
            return_request=request, lines=receipt, actor=STAFF, complete_inspection=True
        )
    elif kind == "resolve" and (request := _pick(_returns(order), args[0])):
        return_resolve(return_request=request, actor=STAFF)
    elif kind == "credit_note":
        amount, method = args
        note = credit_note_create(
            order=order,
            reason="goodwill",
            payout=_payout(method),
            actor=STAFF,
            description="Goodwill",
            amount=amount,
        )
        credit_note_book(credit_note=note, actor=STAFF)
    elif kind == "refund":
        refund_create(order=order, amount=args[0], actor=STAFF, provider="manual")
    elif kind == "redeem":
        vouchers = list(Voucher.objects.order_by("id"))
        if voucher := _pick(vouchers, args[0]):
            voucher_redeem(voucher=voucher, amount=args[1], actor=STAFF)
    elif kind == "resend":
        currency, price = args
        payload = order_payload(order.number, currency=currency)
        payload["lines"][0]["unit_price"] = price
        order_upsert(data=service_data({**payload, **_dates(order)}), actor=STAFF)


def _dates(order: Order) -> dict:
    return {
        "placed_at": order.placed_at.isoformat(),
        "shipped_at": order.shipped_at.isoformat(),
        "delivered_at": order.delivered_at.isoformat(),
        "invoice_number": order.invoice_number,
    }


def _count(model) -> int:
    return model.objects.count()


def _check_books(order: Order, currency: str) -> None:
    order.refresh_from_db()
    assert order.currency == currency
    for model in (CreditNote, Refund, Voucher, ReturnResolution):
        assert set(model.objects.values_list("currency", flat=True)) <= {currency}, model
    assert set(ReturnRequest.objects.values_list("currency", flat=True)) <= {currency}

    booked = CreditNote.objects.filter(order=order, status="booked")
    credited = booked.aggregate(total=Sum("total"))["total"] or Decimal("0")
    assert credited <= order.total, (credited, order.total)
    refunded = Refund.objects.exclude(status="failed").aggregate(total=Sum("amount"))["total"]
    assert (refunded or Decimal("0")) <= order.total

    for voucher in Voucher.objects.all():
        ledger = VoucherEntry.objects.filter(voucher=voucher).aggregate(total=Sum("amount"))
        assert voucher.balance == (ledger["total"] or Decimal("0"))
        assert Decimal("0") <= voucher.balance <= voucher.amount + voucher.bonus

    numbers = sorted(booked.values_list("number", flat=True))
    assert [int(number.rsplit("-", 1)[1]) for number in numbers] == list(range(1, len(numbers) + 1))
    rmas = sorted(ReturnRequest.objects.values_list("rma", flat=True))
    assert [int(rma.rsplit("-", 1)[1]) for rma in rmas] == list(range(1, len(rmas) + 1))


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(steps=st.lists(STEPS, min_size=1, max_size=10))
def test_the_books_reconcile_after_any_sequence_of_steps(tenant, steps):
    with tenant_context(tenant):
        try:
            with transaction.atomic():
                order = recent_order("P-1")
                currency = order.currency
                for step in steps:
                    before = tuple(_count(m) for m in (CreditNote, Refund, Voucher, VoucherEntry))
                    try:
                        with transaction.atomic():
                            _step(order, step)
                    except DomainError:
                        # Refused: nothing of the step stays behind.
                        after = tuple(
                            _count(m) for m in (CreditNote, Refund, Voucher, VoucherEntry)
                        )
                        assert after == before, step
                    else:
                        order.refresh_from_db()
                        if step[0] == "resend":
                            currency = order.currency
                    _check_books(order, currency)
                raise Rollback
        except Rollback:
            pass
