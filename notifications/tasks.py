"""Celery tasks: deliver one outbox message, and the periodic sweep that recovers lost work.

Tasks take ids and reload; the claim in ``delivery.deliver`` makes a duplicate task (a
retry, a sweep, a redelivered broker message) harmless.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from notifications import delivery
from notifications.models import OutboxMessage, OutboxStatus
from returns_platform.tenancy import with_tenant

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.deliver_outbox_message")
@with_tenant
def deliver_outbox_message(tenant_id: int, message_id: int) -> str:
    outcome = delivery.deliver(message_id)
    if outcome == delivery.RETRY:
        _schedule_retry(tenant_id, message_id)
    return outcome


def _schedule_retry(tenant_id: int, message_id: int) -> None:
    row = (
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.QUEUED)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if row is None:
        return
    countdown = max((row - timezone.now()).total_seconds(), 0)
    if deliver_outbox_message.app.conf.task_always_eager:
        return  # in-process mode has no timer: the sweep retries when it runs
    try:
        deliver_outbox_message.apply_async((tenant_id, message_id), countdown=countdown)
    except Exception:  # noqa: BLE001 - the sweep picks the row up later
        logger.exception("Could not schedule the retry of outbox message %s", message_id)


@shared_task(name="notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    due = delivery.sweep()
    for tenant_id, message_id in due:
        deliver_outbox_message.delay(tenant_id, message_id)
    return len(due)
