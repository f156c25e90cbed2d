"""Mail log per order and per return, resending (audited), and the ESP backend."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications import delivery
from notifications.models import OutboxKind, OutboxMessage, OutboxStatus
from notifications.selectors import mail_log_for_order, mail_log_for_return
from notifications.services import outbox_resend
from notifications.tasks import deliver_outbox_message
from orders.services import order_event_record
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.notifications import return_data
from testing.orders import create_order

pytestmark = pytest.mark.django_db

STAFF = Actor(kind="staff", id="7", label="anna@acme.example")


def test_mail_log_for_an_order_and_for_a_return(
    publish, shop, other_tenant, mailbox, django_capture_on_commit_callbacks
):
    with tenant_context(shop):
        order = create_order("1001", shipped_at=None, delivered_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            order_event_record(order=order, event_type="shipped", actor=STAFF)
    publish("return.requested", data=return_data("en"))
    publish("return.approved", data=return_data("en"))
    publish("return.received", data=return_data("en", rma="R-000099", order_number="2002"))
    publish("return.received", data=return_data("en"), tenant=other_tenant)

    with tenant_context(shop):
        order_log = list(mail_log_for_order(order_number="1001").values_list("event", "recipient"))
        return_log = list(mail_log_for_return(rma="R-000042").values_list("event", flat=True))
    assert order_log == [
        ("return.approved", "jan@example.nl"),
        ("return.requested.staff", "returns@acme.example"),
        ("return.requested", "jan@example.nl"),
        ("order.shipped", "jan@example.nl"),
    ]
    assert return_log == ["return.approved", "return.requested.staff", "return.requested"]


def test_resend_a_failed_mail_as_a_new_audited_attempt(shop, mailbox):
    from returns_platform import events

    with tenant_context(shop):
        events.publish(
            "return.received", subject_type="return", subject_id=1, data=return_data("en")
        )
        original = OutboxMessage.objects.get()
        OutboxMessage.objects.filter(pk=original.pk).update(
            status=OutboxStatus.FAILED, attempts=8, last_error="SMTP down"
        )
        original.refresh_from_db()

        copy = outbox_resend(message=original, actor=STAFF)

        assert (copy.status, copy.attempts, copy.resend_of_id) == ("queued", 0, original.pk)
        assert (copy.subject, copy.body_html) == (original.subject, original.body_html)
        audit = AuditEvent.objects.get(action="outbox.resent")
        assert audit.actor_label == "anna@acme.example"
        assert audit.order_number == "1001"
        assert audit.data["new_message"] == copy.pk
        assert audit.data["previous_status"] == "failed"
    assert deliver_outbox_message(shop.pk, copy.pk) == delivery.SENT
    assert [m.subject for m in mailbox] == ["We have received your return R-000042"]
    with tenant_context(shop):
        original.refresh_from_db()
    assert original.status == OutboxStatus.FAILED  # the original stays as it was


def test_a_queued_message_cannot_be_resent(shop):
    from returns_platform import events

    with tenant_context(shop):
        events.publish(
            "return.received", subject_type="return", subject_id=1, data=return_data("en")
        )
        queued = OutboxMessage.objects.get()
        with pytest.raises(ConflictError) as refused:
            outbox_resend(message=queued, actor=STAFF)
        assert refused.value.code == "message_not_finished"
        assert OutboxMessage.objects.count() == 1
        assert not AuditEvent.objects.filter(action="outbox.resent").exists()


def test_esp_backend_message_id_is_kept(publish, shop, settings):
    """In production ANYMAIL_ESP selects an anymail backend; its message id is stored."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    publish("return.completed", data=return_data("de"))
    with tenant_context(shop):
        row = OutboxMessage.objects.get(kind=OutboxKind.EMAIL)
    sent = mail.outbox[0]
    assert row.status == OutboxStatus.SENT
    assert sent.anymail_status.status == {"sent"}
    assert sent.anymail_status.message_id is not None
    assert row.provider_message_id == str(sent.anymail_status.message_id)
    assert not row.provider_message_id.startswith("<outbox-")
    assert sent.subject == "Ihre Rücksendung R-000042 ist abgeschlossen"


def test_embedded_file_backend_keeps_each_mail_as_a_file(publish, shop, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    publish("return.received", data=return_data("sv"))
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    assert "Vi har tagit emot din retur R-000042" in files[0].read_text()
