"""Races on real PostgreSQL: vouchers are never overspent, numbers have no gaps,
a refund is paid once."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses
from django.db.models import Sum
from django.utils import timezone

from credits import tasks
from credits.models import CreditNote, Refund, ReturnResolution, Voucher, VoucherEntry
from credits.services import (
    credit_note_book,
    credit_note_create,
    refund_submit,
    return_resolve,
    voucher_redeem,
)
from credits.services.credit_notes import Payout
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing.credits import (
    STAFF,
    STRIPE_URL,
    inspected_return,
    make_refund,
    run_in_threads,
    stripe_refund,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_parallel_redemptions_never_overspend(tenant, make_voucher):
    voucher = make_voucher("25.00")
    amount = Decimal("0.70")

    def redeem(index):
        with tenant_context(tenant):
            voucher_redeem(voucher=voucher, amount=amount, actor=STAFF, reference=f"POS-{index}")
            return "ok"

    outcomes = run_in_threads(50, redeem)

    successes = outcomes.count("ok")
    assert successes == 35  # 35 x 0.70 = 24.50; the 36th would overspend
    assert outcomes.count("insufficient_balance") == 15
    with tenant_context(tenant):
        voucher.refresh_from_db()
        ledger = VoucherEntry.objects.filter(voucher=voucher).aggregate(total=Sum("amount"))
        redemptions = VoucherEntry.objects.filter(voucher=voucher, kind="redeem").count()
    assert voucher.balance == Decimal("0.50")
    assert ledger["total"] == voucher.balance
    assert redemptions == successes
    assert successes * amount == Decimal("25.00") - voucher.balance


def test_parallel_retries_with_one_key_are_applied_once(tenant, make_voucher):
    voucher = make_voucher("25.00")

    def redeem(index):
        with tenant_context(tenant):
            _, entry = voucher_redeem(
                voucher=voucher, amount=Decimal("10.00"), actor=STAFF, idempotency_key="sale-1"
            )
            return entry.pk

    outcomes = run_in_threads(10, redeem)
    assert len(set(outcomes)) == 1
    with tenant_context(tenant):
        assert Voucher.objects.get(pk=voucher.pk).balance == Decimal("15.00")


def test_two_hundred_parallel_bookings_get_numbers_one_to_two_hundred(tenant, order, monkeypatch):
    monkeypatch.setattr(tasks.render_credit_note_document, "delay", lambda *args: None)
    with tenant_context(tenant):
        notes = [
            credit_note_create(
                order=order,
                reason="goodwill",
                amount=Decimal("0.01"),  # 200 x 0.01 stays within the order total
                payout=Payout(
                    method="gift_card", gift_card_provider="VVV", gift_card_reference=f"G{i}"
                ),
                actor=STAFF,
            )
            for i in range(200)
        ]

    def book(index):
        with tenant_context(tenant):
            return credit_note_book(credit_note=notes[index], actor=STAFF).number

    numbers = run_in_threads(200, book, workers=40)

    year = timezone.localdate().year
    assert sorted(numbers) == [f"CN-{year}-{n:05d}" for n in range(1, 201)]
    with tenant_context(tenant):
        stored = set(CreditNote.objects.values_list("number", flat=True))
    assert stored == set(numbers)


@responses.activate
def test_parallel_submissions_of_one_refund_pay_once(tenant, order, stripe_account):
    call = responses.add(responses.POST, STRIPE_URL, json=stripe_refund())
    refund = make_refund(tenant, order)  # committed; its on-commit submission is the first

    def submit(index):
        with tenant_context(tenant):
            return refund_submit(refund=Refund(pk=refund.pk)).status

    run_in_threads(8, submit)

    assert call.call_count == 1
    with tenant_context(tenant):
        refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert refund.attempts == 1


@pytest.mark.parametrize("resolution", ["refund", "store_credit"])
def test_parallel_resolutions_of_one_return_pay_once(tenant, monkeypatch, resolution):
    monkeypatch.setattr(tasks.render_credit_note_document, "delay", lambda *args: None)
    with tenant_context(tenant):
        return_request = inspected_return(resolution=resolution, bonus_percent="5")

    def resolve(index):
        with tenant_context(tenant):
            return return_resolve(
                return_request=ReturnRequest(pk=return_request.pk), actor=STAFF
            ).pk

    outcomes = run_in_threads(10, resolve)

    assert len(set(outcomes)) == 1
    with tenant_context(tenant):
        assert ReturnResolution.objects.count() == 1
        assert CreditNote.objects.count() == 1
        assert Refund.objects.count() == (1 if resolution == "refund" else 0)
        assert Voucher.objects.count() == (1 if resolution == "store_credit" else 0)
        assert ReturnRequest.objects.get(pk=return_request.pk).status == "completed"
