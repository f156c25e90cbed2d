"""The audit log: chained, append-only, and verifiable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from returns_platform.audit import Actor, AuditEntry, audit_record, audit_record_many
from returns_platform.models import AuditChain, AuditEvent
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def test_events_are_chained_per_tenant(tenant, other_tenant):
    with tenant_context(tenant):
        first = audit_record(
            actor=Actor.system(),
            action="x.one",
            subject_type="x",
            subject_id=1,
            data={"amount": Decimal("1.50")},
        )
        second, third = audit_record_many(
            actor=Actor.system(),
            entries=[AuditEntry("x.two", "x", "1"), AuditEntry("x.three", "x", "1")],
        )
        chain = AuditChain.objects.get()
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert (first.sequence + 1, first.sequence + 2) == (second.sequence, third.sequence)
    assert chain.last_sequence == third.sequence and chain.last_hash == third.hash
    assert first.data == {"amount": "1.50"}
    with tenant_context(other_tenant):
        # The other shop has its own chain: creating it wrote its own first events.
        assert AuditEvent.objects.order_by("sequence").first().sequence == 1


def test_verify_audit_reports_intact_chains(tenant, other_tenant, capsys):
    with tenant_context(tenant):
        audit_record(actor=Actor.system(), action="x.one", subject_type="x", subject_id=1)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "acme: all" in out and "globex: all" in out


def _tamper(tenant, sequence: int) -> None:
    with tenant_context(tenant):
        event = AuditEvent.objects.get(sequence=sequence)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE returns_platform_auditevent DISABLE TRIGGER audit_event_append_only"
            )
        cursor.execute(
            "UPDATE returns_platform_auditevent SET data = %s WHERE id = %s",
            ['{"amount": "999.00"}', event.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE returns_platform_auditevent ENABLE TRIGGER audit_event_append_only"
            )


@pytest.mark.django_db(transaction=True)
def test_verify_audit_finds_an_edited_event(tenant, capsys):
    with tenant_context(tenant):
        for number in range(3):
            audit_record(
                actor=Actor.system(),
                action="x.step",
                subject_type="x",
                subject_id=number,
                data={"amount": "1.00"},
            )
        target = AuditEvent.objects.order_by("-sequence")[1].sequence
    _tamper(tenant, target)
    with pytest.raises(CommandError):
        call_command("verify_audit", "--tenant", "acme")
    out = capsys.readouterr().out
    assert f"BROKEN at event {target}: content differs from its hash" in out


@pytest.mark.postgres
def test_trigger_refuses_update_and_delete(tenant):
    with tenant_context(tenant):
        event = audit_record(actor=Actor.system(), action="x.one", subject_type="x", subject_id=1)
    for statement in (
        "UPDATE returns_platform_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM returns_platform_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    with tenant_context(tenant):
        assert AuditEvent.objects.get(pk=event.pk).action == "x.one"
