"""Two workers, an at-least-once queue and a crash between claim and send.

Every mail reaches a real SMTP server on loopback exactly once: the queue hands every
task to both workers (as a broker redelivering after a lost acknowledgement would), one
worker dies right after claiming some rows (the row stays in ``sending`` and its task is
gone), comes back, and the periodic sweep puts the orphans back once their lease ends.
"""

from __future__ import annotations

import email
import queue
import threading
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from notifications import delivery
from notifications.models import OutboxMessage, OutboxStatus
from returns_platform import events
from returns_platform.tenancy import tenant_context, with_tenant
from testing.notifications import return_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MAILS = 120
CRASH_ON_CLAIMS = (3, 17, 40)  # worker A dies after claiming its 3rd, 17th and 40th row


class WorkerCrashed(BaseException):
    """A process kill: not an ``Exception``, so nothing in the worker handles it."""


def write_mails(shop, count: int) -> list[int]:
    """Outbox rows as services write them, without handing them to a queue yet."""
    with tenant_context(shop), mock.patch("notifications.outbox.enqueue_after_commit"):
        for index in range(count):
            events.publish(
                "return.received",
                subject_type="return",
                subject_id=index,
                data=return_data("en", rma=f"R-{index:06d}", email=f"c{index}@example.nl"),
            )
        return list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))


def test_two_workers_and_a_crash_between_claim_and_send_deliver_every_mail_once(shop, smtp_server):
    message_ids = write_mails(shop, MAILS)
    tasks: queue.Queue = queue.Queue()
    for message_id in message_ids:
        tasks.put(message_id)
        tasks.put(message_id)  # at-least-once: the twin goes to the other worker
    outcomes: Counter = Counter()
    crashes: list[int] = []
    lock = threading.Lock()
    claims_by_a = 0
    real_send = delivery.send_email

    def send_or_crash(message):
        nonlocal claims_by_a
        if threading.current_thread().name.startswith("worker-a"):
            with lock:
                claims_by_a += 1
                crash = claims_by_a in CRASH_ON_CLAIMS
            if crash:
                crashes.append(message.pk)
                raise WorkerCrashed(message.pk)
        return real_send(message)

    @with_tenant
    def deliver(tenant_id: int, message_id: int) -> str:
        return delivery.deliver(message_id)

    def work(source: queue.Queue) -> None:
        try:
            while True:
                try:
                    message_id = source.get_nowait()
                except queue.Empty:
                    return
                outcome = deliver(shop.pk, message_id)
                with lock:
                    outcomes[outcome] += 1
        except WorkerCrashed:
            return  # the process is gone; its current task with it
        finally:
            connection.close()

    def run_workers(source: queue.Queue) -> None:
        # Worker A restarts after each crash, as a supervisor would restart the process.
        def supervised_a():
            while not source.empty():
                thread = threading.Thread(target=work, args=(source,), name="worker-a")
                thread.start()
                thread.join()

        threads = [
            threading.Thread(target=supervised_a, name="supervisor-a"),
            threading.Thread(target=work, args=(source,), name="worker-b"),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    with mock.patch("notifications.delivery.send_email", side_effect=send_or_crash):
        run_workers(tasks)

        assert len(crashes) == len(CRASH_ON_CLAIMS)
        with tenant_context(shop):
            stuck = set(
                OutboxMessage.objects.filter(status=OutboxStatus.SENDING).values_list(
                    "pk", flat=True
                )
            )
        assert stuck == set(crashes)  # claimed, never sent, nobody else may take them
        assert len(smtp_server.envelopes) == MAILS - len(crashes)

        # The beat sweep, once the lease of the dead worker's claims has run out.
        with tenant_context(shop):
            assert delivery.sweep() == []  # within the lease the dead worker might still send
            OutboxMessage.objects.filter(pk__in=stuck).update(
                claimed_at=timezone.now() - delivery.LEASE - timedelta(seconds=1)
            )
        recovered = delivery.sweep()
        assert sorted(pk for _, pk in recovered) == sorted(crashes)
        again: queue.Queue = queue.Queue()
        for _, message_id in recovered:
            again.put(message_id)
            again.put(message_id)
        run_workers(again)

    message_ids_seen = Counter(
        email.message_from_bytes(envelope.original_content)["Message-ID"]
        for envelope in smtp_server.envelopes
    )
    delivered, duplicates = len(message_ids_seen), sum(n - 1 for n in message_ids_seen.values())
    print(
        f"\n{MAILS} mails, two workers, {len(crashes)} crashes between claim and send: "
        f"delivered {delivered}, duplicates {duplicates}, outcomes {dict(outcomes)}"
    )
    assert (delivered, duplicates) == (MAILS, 0)
    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == sorted(
        f"c{index}@example.nl" for index in range(MAILS)
    )
    with tenant_context(shop):
        rows = list(OutboxMessage.objects.values_list("pk", "status", "attempts"))
    assert {status for _, status, _ in rows} == {OutboxStatus.SENT}
    assert {pk for pk, _, attempts in rows if attempts == 2} == set(crashes)
    assert {attempts for pk, _, attempts in rows if pk not in crashes} == {1}
    assert outcomes[delivery.SENT] == MAILS
