"""Refunding a cancelled order through the platform (``"refund": "issue"``).

The cancellation event asks the platform to pay the order back: a credit note for the
order's total, authored by the system and booked by the person or system that recorded
the cancellation (so four-eyes booking is met: the order total is not typed by anyone),
paid out to the original payment through the shop's default provider.
"""

from __future__ import annotations

from django.db import transaction

from credits.models import CreditNote
from credits.services.credit_notes import Payout, credit_note_book, credit_note_create
from credits.statuses import CreditNoteReason, PayoutMethod
from orders.models import Order
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError
from returns_platform.money import amount_text


@transaction.atomic
def order_cancellation_refund(*, order: Order, actor: Actor) -> dict:
    """Book and pay out a credit note for a cancelled order; the facts for the event."""
    if order.total <= 0:
        raise ConflictError(code="nothing_to_refund", params={"number": order.number})
    note: CreditNote = credit_note_create(
        order=order,
        reason=CreditNoteReason.ORDER_CANCELLED,
        payout=Payout(method=PayoutMethod.ORIGINAL_PAYMENT),
        actor=Actor.system(f"order cancellation {order.number}"),
        description=f"Order {order.number} cancelled",
        amount=order.total,
    )
    note = credit_note_book(credit_note=note, actor=actor)
    refund = note.refunds.first()
    return {
        "amount": amount_text(note.total, note.currency),
        "currency": note.currency,
        "by": "platform",
        "credit_note": note.number,
        "refund_id": refund.pk if refund else None,
        "provider": refund.provider if refund else "",
    }
