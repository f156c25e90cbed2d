"""Delivery: retries with backoff, give-up, crash recovery by the sweep, exactly one sender."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications import delivery
from notifications.models import OutboxMessage, OutboxStatus
from notifications.schedule import BEAT_SCHEDULE
from notifications.tasks import deliver_outbox_message, sweep_outbox
from returns_platform import events
from returns_platform.tenancy import tenant_context
from testing.notifications import closed_port, return_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False


def queue_mail(shop, **overrides) -> OutboxMessage:
    """Publish an event whose mail is written but not handed to a worker yet."""
    with tenant_context(shop):
        events.publish(
            "return.received", subject_type="return", subject_id=1, data=return_data("en")
        )
        return OutboxMessage.objects.get(**overrides) if overrides else OutboxMessage.objects.get()


def reload(shop, message) -> OutboxMessage:
    with tenant_context(shop):
        return OutboxMessage.objects.get(pk=message.pk)


def make_due(shop, message) -> None:
    with tenant_context(shop):
        OutboxMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1)
        )


def test_backoff_doubles_from_one_minute_and_is_capped():
    assert [delivery.backoff(n) for n in range(1, 9)] == [
        timedelta(minutes=minutes) for minutes in (1, 2, 4, 8, 16, 32, 60, 60)
    ]
    webhook_waits = delivery.retry_schedule("webhook")
    assert sum(webhook_waits, timedelta()) <= timedelta(hours=24)
    assert len(delivery.retry_schedule("email")) == delivery.MAIL_MAX_ATTEMPTS - 1


def test_failing_smtp_leaves_the_row_queued_with_backoff_then_failed(
    shop, refusing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_mail(shop)
    before = timezone.now()

    row = reload(shop, message)
    assert row.status == OutboxStatus.QUEUED
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > before
    assert timedelta(seconds=55) < row.next_attempt_at - before <= timedelta(minutes=1)

    # Not due yet: a duplicate task does nothing and spends no attempt.
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.SKIPPED
    assert reload(shop, message).attempts == 1

    for attempt in range(2, delivery.MAIL_MAX_ATTEMPTS + 1):
        make_due(shop, message)
        started = timezone.now()
        outcome = deliver_outbox_message(shop.pk, message.pk)
        row = reload(shop, message)
        assert row.attempts == attempt
        if attempt < delivery.MAIL_MAX_ATTEMPTS:
            assert outcome == delivery.RETRY
            assert row.status == OutboxStatus.QUEUED
            wait = row.next_attempt_at - started
            assert delivery.backoff(attempt) - timedelta(seconds=5) < wait
            assert wait <= delivery.backoff(attempt) + timedelta(seconds=5)
    assert outcome == delivery.FAILED
    assert row.status == OutboxStatus.FAILED
    assert "ConnectionRefusedError" in row.last_error
    assert row.sent_at is None

    make_due(shop, message)
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.SKIPPED


def test_crash_between_claim_and_send_is_recovered_by_the_sweep_once(shop, mailbox):
    message = queue_mail(shop)
    # Worker 1 claims the row, then dies before sending.
    with tenant_context(shop):
        claimed = delivery.claim(message.pk)
    assert claimed is not None and claimed.status == OutboxStatus.SENDING
    assert mailbox == []

    # Within the lease the sweep leaves it alone: worker 1 may still be sending.
    assert sweep_outbox() == 0
    assert reload(shop, message).status == OutboxStatus.SENDING

    with tenant_context(shop):
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_at=timezone.now() - delivery.LEASE - timedelta(seconds=1)
        )
    # The sweep puts it back; worker 2 (the task it enqueues) sends it.
    assert sweep_outbox() == 1
    assert len(mailbox) == 1
    row = reload(shop, message)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)

    # Worker 1 coming back, a late duplicate task, a second sweep: nothing more goes out.
    with tenant_context(shop):
        assert delivery.mark_sent(claimed) is False
        assert delivery.claim(message.pk) is None
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.SKIPPED
    assert sweep_outbox() == 0
    assert len(mailbox) == 1


def test_sweep_requeues_rows_whose_enqueue_was_lost(shop, mailbox):
    message = queue_mail(shop)  # committed, but the task never reached the broker
    assert sweep_outbox() == 0  # still within the grace period
    with tenant_context(shop):
        OutboxMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - delivery.SWEEP_GRACE - timedelta(seconds=1)
        )
    assert sweep_outbox() == 1
    assert [m.subject for m in mailbox] == ["We have received your return R-000042"]


def test_sweep_crosses_tenants(shop, other_tenant, mailbox):
    first = queue_mail(shop)
    with tenant_context(other_tenant):
        events.publish(
            "return.received", subject_type="return", subject_id=1, data=return_data("nl")
        )
        second = OutboxMessage.objects.get()
    old = timezone.now() - timedelta(minutes=5)
    for tenant, message in ((shop, first), (other_tenant, second)):
        with tenant_context(tenant):
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=old)
    assert sweep_outbox() == 2
    assert sorted(m.subject for m in mailbox) == [
        "We have received your return R-000042",
        "We hebben je retour R-000042 ontvangen",
    ]


def test_the_sweep_runs_every_minute():
    assert BEAT_SCHEDULE["outbox-sweep"] == {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
    }
    assert sweep_outbox.name == "notifications.tasks.sweep_outbox"


def test_second_delivery_of_the_same_row_sends_nothing(shop, mailbox):
    message = queue_mail(shop)
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.SENT
    assert deliver_outbox_message(shop.pk, message.pk) == delivery.SKIPPED
    assert len(mailbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_row_send_exactly_one_mail(shop):
    mail.outbox = []
    messages = []
    with tenant_context(shop):
        for index in range(5):
            events.publish(
                "return.received",
                subject_type="return",
                subject_id=index,
                data=return_data("en", rma=f"R-{index}"),
            )
        # on_commit ran in autocommit mode: all five were delivered once already.
        assert len(mail.outbox) == 5
        OutboxMessage.objects.update(status=OutboxStatus.QUEUED, sent_at=None)
        messages = list(OutboxMessage.objects.values_list("pk", flat=True))
    mail.outbox = []

    workers = 8
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            for message_id in messages:
                outcome = deliver_outbox_message(shop.pk, message_id)
                with lock:
                    outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count(delivery.SENT) == len(messages)
    assert outcomes.count(delivery.SKIPPED) == len(messages) * (workers - 1)
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"We have received your return R-{index}" for index in range(5)
    )
    with tenant_context(shop):
        assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_a_sent_mail_is_recorded_across_a_short_database_outage(shop, mailbox, monkeypatch):
    """The database is away for a moment right after the SMTP server accepted the mail:
    the row must still become ``sent``, or the sweep would send the mail again."""
    from django.db import OperationalError

    message = queue_mail(shop)
    make_due(shop, message)
    real_mark_sent = delivery.mark_sent
    calls = []

    def mark_sent_after_an_outage(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(delivery, "mark_sent", mark_sent_after_an_outage)
    monkeypatch.setattr(delivery.time, "sleep", lambda seconds: None)
    with tenant_context(shop):
        assert delivery.deliver(message.pk) == delivery.SENT
    assert len(calls) == 3 and len(mailbox) == 1
    assert reload(shop, message).status == OutboxStatus.SENT
