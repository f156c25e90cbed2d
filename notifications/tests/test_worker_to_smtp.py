"""End to end: a committed change -> Redis -> a real Celery worker -> a real SMTP server.

Run with PostgreSQL and Redis (your own database and Redis db number), e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/notifications_dev \\
    REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/pytest notifications -k integration
"""

from __future__ import annotations

import email
import time
from email.header import decode_header, make_header
from email.policy import default as default_policy

import pytest
from django.db import transaction

from notifications.models import OutboxMessage
from returns_platform import events
from returns_platform.tenancy import tenant_context
from testing.notifications import return_data
from testing.workers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_integration_mail_sent_by_a_real_worker_reaches_a_real_smtp_server(
    shop, smtp_server, real_worker
):
    with tenant_context(shop):
        with transaction.atomic():
            events.publish(
                "return.approved",
                subject_type="return",
                subject_id=42,
                data=return_data("nl", customer_name="Jan Jansen"),
            )
            # Inside the transaction nothing has been handed to the worker yet.
            time.sleep(0.5)
            assert smtp_server.envelopes == []
        message = OutboxMessage.objects.get()

    assert wait_for(lambda: len(smtp_server.envelopes) == 1), "no mail reached the SMTP server"
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["jan@example.nl"]
    parsed = email.message_from_bytes(envelope.original_content, policy=default_policy)
    assert str(make_header(decode_header(parsed["Subject"]))) == (
        "Je retour R-000042 is goedgekeurd"
    )
    assert "Acme Outdoor" in parsed["From"]
    assert parsed["Message-ID"] == f"<outbox-{shop.pk}-{message.pk}@localhost>"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert "Beste Jan Jansen," in text
    assert "#c0ffee" in html and 'src="cid:qr-code"' in html
    images = [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<qr-code>"

    def sent():
        with tenant_context(shop):
            return OutboxMessage.objects.get(pk=message.pk).status == "sent"

    assert wait_for(sent)
    with tenant_context(shop):
        row = OutboxMessage.objects.get(pk=message.pk)
    assert row.attempts == 1 and row.sent_at is not None
    time.sleep(1)
    assert len(smtp_server.envelopes) == 1  # sent exactly once


def test_integration_rolled_back_change_sends_nothing(shop, smtp_server, real_worker):
    with tenant_context(shop), pytest.raises(RuntimeError), transaction.atomic():
        events.publish(
            "return.received", subject_type="return", subject_id=1, data=return_data("en")
        )
        raise RuntimeError("the change failed")
    with tenant_context(shop):
        events.publish(
            "return.cancelled", subject_type="return", subject_id=1, data=return_data("en")
        )
    assert wait_for(lambda: len(smtp_server.envelopes) == 1)
    time.sleep(1)
    parsed = email.message_from_bytes(smtp_server.envelopes[0].original_content)
    assert parsed["Subject"] == "Your return request R-000042 has been cancelled"
    assert len(smtp_server.envelopes) == 1
    with tenant_context(shop):
        assert list(OutboxMessage.objects.values_list("event", "status")) == [
            ("return.cancelled", "sent")
        ]
