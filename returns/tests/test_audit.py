"""The document history is tamper-evident: an edited return event breaks the chain."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from returns.workflow import return_transition
from returns_platform.models import AuditEvent
from testing.returns import file_return
from testing.staff import TEST_ACTOR


@pytest.mark.django_db(transaction=True)  # ALTER TABLE needs the rows committed
def test_verify_audit_detects_an_edited_return_event(order, capsys):
    return_request = file_return(order)
    return_transition(return_request=return_request, to="approved", actor=TEST_ACTOR)
    call_command("verify_audit", "--tenant", "acme")  # intact: no error
    event = AuditEvent.objects.get(action="return.approved")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE returns_platform_auditevent DISABLE TRIGGER audit_event_append_only"
            )
        cursor.execute(
            "UPDATE returns_platform_auditevent SET action = %s WHERE id = %s",
            ["return.cancelled", event.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE returns_platform_auditevent ENABLE TRIGGER audit_event_append_only"
            )

    with pytest.raises(CommandError):
        call_command("verify_audit", "--tenant", "acme")
    output = capsys.readouterr().out
    assert f"BROKEN at event {event.sequence}" in output
    assert "content differs from its hash" in output


@pytest.mark.postgres
def test_audit_events_cannot_be_updated_on_postgresql(order):
    from django.db import DatabaseError, transaction

    file_return(order)
    event = AuditEvent.objects.get(action="return.requested")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="return.cancelled")
