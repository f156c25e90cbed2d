"""Files attached to a mail when it is sent (not stored on the outbox row).

The credit-note mail carries the note's PDF. It is read when the mail goes out, from the
stored document or rendered on the spot when the credits task has not stored it yet, so
the mail never waits for that task and a retry attaches the same document.
"""

from __future__ import annotations

from dataclasses import dataclass

from notifications.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def mail_attachments(message: OutboxMessage) -> list[Attachment]:
    if message.event == "credit_note.booked" and message.subject_type == "credit_note":
        pdf = credit_note_pdf(message.subject_id)
        return [pdf] if pdf is not None else []
    return []


def credit_note_pdf(credit_number: str) -> Attachment | None:
    """The booked credit note's PDF (None when the note is gone or not booked)."""
    from credits.documents import render_credit_note_pdf
    from credits.models import CreditNote
    from credits.statuses import CreditNoteStatus

    note = (
        CreditNote.objects.select_related("order", "order__customer")
        .filter(number=credit_number, status=CreditNoteStatus.BOOKED)
        .first()
    )
    if note is None:
        return None
    content = b""
    if note.document and note.document.storage.exists(note.document.name):
        with note.document.open("rb") as stored:
            content = stored.read()
    if not content:
        content = render_credit_note_pdf(note)
    return Attachment(f"{note.number}.pdf", content, "application/pdf")
