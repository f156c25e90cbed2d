"""The only code that changes the ``status`` of credit notes, vouchers and refunds."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from credits.models import CreditNote, Refund, Voucher
from credits.statuses import CREDIT_NOTE_TRANSITIONS, REFUND_TRANSITIONS, VOUCHER_TRANSITIONS
from returns_platform.errors import ConflictError


def _check(kind: str, table: dict, current: str, target: str) -> None:
    if target not in table.get(current, ()):
        raise ConflictError(
            code="invalid_transition.credits",
            params={"kind": kind, "current": current, "target": target},
        )


def credit_note_transition(*, credit_note: CreditNote, to: str, **fields: Any) -> None:
    """Move a (locked) credit note to ``to`` and save it with ``fields``."""
    _check("credit note", CREDIT_NOTE_TRANSITIONS, credit_note.status, to)
    credit_note.status = to
    for name, value in fields.items():
        setattr(credit_note, name, value)
    credit_note.save(update_fields=["status", "updated_at", *fields])


def voucher_transition(*, voucher: Voucher, to: str) -> None:
    """Move a (locked) voucher to ``to``; its balance moves only through the ledger."""
    _check("voucher", VOUCHER_TRANSITIONS, voucher.status, to)
    voucher.status = to
    Voucher.objects.filter(pk=voucher.pk).update(status=to)


def refund_transition(
    *, refund: Refund, to: str, expected_attempts: int | None = None, **fields: Any
) -> bool:
    """Compare-and-set: move ``refund`` from the status it was read in to ``to``.

    Returns False when the row is no longer in that status (or, with
    ``expected_attempts``, no longer at that attempt): another worker got there first.
    """
    _check("refund", REFUND_TRANSITIONS, refund.status, to)
    match = Refund.objects.filter(pk=refund.pk, status=refund.status)
    if expected_attempts is not None:
        match = match.filter(attempts=expected_attempts)
    updated = match.update(status=to, updated_at=timezone.now(), **fields)
    if updated != 1:
        return False
    refund.status = to
    for name, value in fields.items():
        setattr(refund, name, value)
    return True
