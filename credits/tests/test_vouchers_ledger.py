"""The voucher ledger: void, expiry, and the balance = sum(ledger) check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from credits.models import Voucher, VoucherEntry
from credits.schedule import BEAT_SCHEDULE
from credits.services import voucher_redeem, voucher_void
from credits.tasks import expire_vouchers
from returns_platform.errors import DomainError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF
from testing.dates import days

pytestmark = pytest.mark.django_db


def test_void_writes_the_balance_off_through_the_ledger(tenant, make_voucher):
    voucher = make_voucher("25.00")
    with tenant_context(tenant):
        voucher_redeem(voucher=voucher, amount=Decimal("5.00"), actor=STAFF)
        voucher = voucher_void(voucher=voucher, actor=STAFF, reason="fraud")
        voucher.refresh_from_db()
        kinds = list(voucher.entries.values_list("kind", "amount"))
        with pytest.raises(DomainError) as caught:
            voucher_redeem(voucher=voucher, amount=Decimal("1.00"), actor=STAFF)
        assert AuditEvent.objects.filter(action="voucher.void").count() == 1
    assert caught.value.code == "voucher_void"
    assert voucher.status == "void"
    assert voucher.balance == Decimal("0")
    assert kinds == [
        ("issue", Decimal("25.00")),
        ("redeem", Decimal("-5.00")),
        ("adjust", Decimal("-20.00")),
    ]


def test_periodic_expiry_expires_only_past_due_vouchers_of_every_tenant(
    tenant, other_tenant, make_voucher
):
    assert BEAT_SCHEDULE["expire-vouchers"] == {
        "task": "credits.tasks.expire_vouchers",
        "schedule": 3600.0,
    }
    due = make_voucher("25.00", valid_from=days(-10), expires_at=days(5))
    other_due = make_voucher("7.00", target=other_tenant, valid_from=days(-10), expires_at=days(5))
    later = make_voucher("10.00", expires_at=days(1))
    never = make_voucher("10.00")
    for target, voucher in ((tenant, due), (other_tenant, other_due)):
        with tenant_context(target):
            Voucher.objects.filter(pk=voucher.pk).update(expires_at=days(0))

    assert expire_vouchers() == 2
    assert expire_vouchers() == 0  # nothing left to do

    with tenant_context(tenant):
        states = {v.pk: (v.status, v.balance) for v in Voucher.objects.all()}
        entry = VoucherEntry.objects.get(voucher=due, kind="expire")
        audit = AuditEvent.objects.get(action="voucher.expired")
    assert states[due.pk] == ("expired", Decimal("0"))
    assert states[later.pk] == ("active", Decimal("10.00"))
    assert states[never.pk] == ("active", Decimal("10.00"))
    assert entry.amount == Decimal("-25.00")
    assert audit.actor_label == "voucher expiry"
    with tenant_context(other_tenant):
        assert Voucher.objects.get().status == "expired"


def test_verify_vouchers_passes_on_a_clean_ledger_and_fails_after_tampering(
    tenant, make_voucher, capsys
):
    voucher = make_voucher("25.00")
    with tenant_context(tenant):
        voucher_redeem(voucher=voucher, amount=Decimal("2.50"), actor=STAFF)
    call_command("verify_vouchers")
    assert "OK" in capsys.readouterr().out

    with tenant_context(tenant), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the database refuses this; switch it off
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE credits_voucher DISABLE TRIGGER voucher_balance_matches_ledger"
            )
        Voucher.objects.filter(pk=voucher.pk).update(balance=Decimal("10.00"))
    with pytest.raises(CommandError) as caught:
        call_command("verify_vouchers")
    assert "1 voucher balance" in str(caught.value)
    report = capsys.readouterr().err
    assert f"voucher {voucher.pk}" in report
    assert "balance 10.00 != ledger 22.50" in report


@pytest.mark.postgres
def test_the_database_refuses_ledger_edits_and_balances_without_an_entry(tenant, make_voucher):
    voucher = make_voucher("25.00")
    with tenant_context(tenant):
        entry = voucher.entries.get()
        attempts = [
            lambda: Voucher.objects.filter(pk=voucher.pk).update(balance=Decimal("30.00")),
            lambda: VoucherEntry.objects.filter(pk=entry.pk).update(amount=Decimal("30.00")),
            lambda: VoucherEntry.objects.filter(pk=entry.pk).delete(),
            lambda: Voucher.objects.create(
                code="X" * 20, currency="EUR", amount=1, balance=1, valid_from=days(0)
            ),
        ]
        for attempt in attempts:
            with pytest.raises(DatabaseError), transaction.atomic():
                attempt()
        voucher.refresh_from_db()
        assert voucher.balance == Decimal("25.00")
        assert voucher.entries.get().amount == Decimal("25.00")
        assert Voucher.objects.count() == 1
