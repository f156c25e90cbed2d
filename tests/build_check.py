"""Run inside a production build (tests/test_production_build.py): make a shop with a
Swedish and a German order, file a Swedish return and book a German credit note, and print
what a customer would receive as JSON (the mail from the outbox, the credit note's text).

    python manage.py shell -c "from tests.build_check import main; main()"
"""

from __future__ import annotations

import io
import json
from decimal import Decimal


def main() -> None:
    import pypdfium2

    from credits.documents import render_credit_note_pdf
    from credits.services import credit_note_book, credit_note_create
    from credits.services.credit_notes import Payout
    from credits.statuses import CreditNoteReason
    from notifications.models import OutboxMessage
    from orders.tests.factories import create_order
    from returns.tests.conftest import TEST_ACTOR, file_return
    from returns_platform.tenancy import tenant_context
    from tenants.services import tenant_create

    tenant = tenant_create(name="Build Check", slug="buildcheck", default_language="en")
    with tenant_context(tenant):
        swedish = create_order("5001", language="sv", email="kund@example.se")
        return_request = file_return(swedish)
        mail = (
            OutboxMessage.objects.filter(rma=return_request.rma, kind="email", language="sv")
            .order_by("pk")
            .first()
        )
        german = create_order("5002", language="de")
        note = credit_note_create(
            order=german,
            reason=CreditNoteReason.GOODWILL,
            amount=Decimal("12.34"),
            payout=Payout("voucher"),
            actor=TEST_ACTOR,
        )
        note = credit_note_book(credit_note=note, actor=TEST_ACTOR)
        document = pypdfium2.PdfDocument(io.BytesIO(render_credit_note_pdf(note)))
        text = " ".join(page.get_textpage().get_text_range() for page in document)
    print(
        json.dumps(
            {
                "slug": tenant.slug,
                "mail_subject": mail.subject if mail else "",
                "mail_text": mail.body_text if mail else "",
                "credit_note_text": " ".join(text.split()),
            }
        )
    )
