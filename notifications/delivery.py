"""Delivering outbox messages: the only code that changes an outbox row's ``status``.

Lifecycle::

    queued --claim--> sending --sent--> sent
      ^                  |
      +----retry---------+--give up--> failed
      +----sweep (lease expired)

Every change is a compare-and-set ``UPDATE ... WHERE status = <expected>``: exactly one
row updated means this worker won; zero means another worker (or the sweep) got there
first and this one stops. ``claim`` also bumps ``attempts`` and stamps ``claimed_at``,
which is the lease: a row left in ``sending`` for longer than ``LEASE`` (a worker died
between claim and send) is put back in the queue by ``sweep``. A send that succeeded is
recorded even across a short database outage (``record_sent``). A worker that dies after
the mail went out but before ``mark_sent`` leads to a second mail after the lease; mails
carry a stable Message-ID and webhooks a stable ``X-Returns-Delivery`` so receivers can
recognise the repeat.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from datetime import timedelta
from email.mime.image import MIMEImage
from email.utils import formataddr
from io import BytesIO
from typing import Any

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from notifications import signing, webhooks
from notifications.attachments import mail_attachments
from notifications.models import OutboxKind, OutboxMessage, OutboxStatus, WebhookDelivery
from returns_platform.tenancy import require_current_tenant, unscoped_context

logger = logging.getLogger(__name__)

# Five minutes and one minute unless the settings say otherwise (OUTBOX_LEASE_SECONDS,
# OUTBOX_SWEEP_GRACE_SECONDS); the lease must stay well above EMAIL_TIMEOUT and the
# webhook timeout, or a slow send would overlap its own repeat.
LEASE = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
# Rows still queued this long after their due time were not picked up by their own task.
SWEEP_GRACE = timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
SWEEP_BATCH = 500
MAIL_MAX_ATTEMPTS = 8
WEBHOOK_RETRY_WINDOW = timedelta(hours=24)
BACKOFF_CAP = timedelta(hours=1)

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"
SUBSCRIPTION_GONE = "The webhook subscription was removed or deactivated."


class DeliveryFailed(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` tries: 1, 2, 4, 8 ... minutes, capped at 1 h."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def retry_schedule(kind: str) -> list[timedelta]:
    """The waits between tries until the message is given up (for the docs and tests)."""
    if kind == OutboxKind.EMAIL:
        return [backoff(attempt) for attempt in range(1, MAIL_MAX_ATTEMPTS)]
    waits, elapsed, attempt = [], timedelta(0), 1
    while elapsed + backoff(attempt) <= WEBHOOK_RETRY_WINDOW:
        waits.append(backoff(attempt))
        elapsed += backoff(attempt)
        attempt += 1
    return waits


# --- Status changes (compare-and-set) ------------------------------------------------


def claim(message_id: int) -> OutboxMessage | None:
    """Take a due queued message for this worker; None when another worker has it."""
    now = timezone.now()
    won = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=OutboxStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if won != 1:
        return None
    return OutboxMessage.objects.select_related("subscription").get(pk=message_id)


def mark_sent(message: OutboxMessage, *, provider_message_id: str = "") -> bool:
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, claimed_at=message.claimed_at
    ).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_message_id[:255],
        last_error="",
    )
    if updated != 1:
        logger.warning("Outbox message %s was sent after its lease expired", message.pk)
    return updated == 1


def mark_attempt_failed(message: OutboxMessage, error: str, *, permanent: bool = False) -> str:
    """Put the message back in the queue with backoff, or give up; return RETRY or FAILED."""
    now = timezone.now()
    wait = backoff(message.attempts)
    if message.kind == OutboxKind.EMAIL:
        give_up = message.attempts >= MAIL_MAX_ATTEMPTS
    else:
        give_up = now + wait > message.created_at + WEBHOOK_RETRY_WINDOW
    expected = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, claimed_at=message.claimed_at
    )
    if permanent or give_up:
        expected.update(status=OutboxStatus.FAILED, last_error=error[:4000])
        return FAILED
    expected.update(status=OutboxStatus.QUEUED, next_attempt_at=now + wait, last_error=error[:4000])
    return RETRY


def sweep(*, now: Any = None) -> list[tuple[int, int]]:
    """Find work the queue lost; return (tenant_id, message_id) pairs to enqueue again.

    - rows in ``sending`` whose lease expired (the worker died between claim and send)
      go back to ``queued`` (or to ``failed`` once they used up their tries);
    - rows in ``queued`` overdue by more than ``SWEEP_GRACE`` (the enqueue after commit,
      or a retry's countdown, was lost).
    Crosses tenants: an operator job, so it reads through the unscoped manager.
    """
    now = now or timezone.now()
    due: list[tuple[int, int]] = []
    with unscoped_context():
        stale = list(
            OutboxMessage.unscoped.filter(
                status=OutboxStatus.SENDING, claimed_at__lt=now - LEASE
            ).values_list("pk", "tenant_id", "claimed_at", "attempts", "kind")[:SWEEP_BATCH]
        )
        for pk, tenant_id, claimed_at, attempts, kind in stale:
            expected = OutboxMessage.unscoped.filter(
                pk=pk, status=OutboxStatus.SENDING, claimed_at=claimed_at
            )
            if kind == OutboxKind.EMAIL and attempts >= MAIL_MAX_ATTEMPTS:
                expected.update(
                    status=OutboxStatus.FAILED, last_error="Lease expired on the last attempt."
                )
                continue
            if expected.update(status=OutboxStatus.QUEUED, next_attempt_at=now):
                due.append((tenant_id, pk))
        due.extend(
            (tenant_id, pk)
            for pk, tenant_id in OutboxMessage.unscoped.filter(
                status=OutboxStatus.QUEUED, next_attempt_at__lte=now - SWEEP_GRACE
            ).values_list("pk", "tenant_id")[:SWEEP_BATCH]
        )
    return list(dict.fromkeys(due))


# --- Sending ------------------------------------------------------------------------


def deliver(message_id: int) -> str:
    """Claim, send and settle one message of the current tenant."""
    message = claim(message_id)
    if message is None:
        return SKIPPED
    log = None
    try:
        if message.kind == OutboxKind.EMAIL:
            provider_message_id = send_email(message)
        else:
            provider_message_id, log = send_webhook(message)
    except DeliveryFailed as error:
        return mark_attempt_failed(message, str(error), permanent=error.permanent)
    except Exception as error:  # noqa: BLE001 - any failure of the backend is retried
        logger.warning("Outbox message %s failed: %s", message.pk, error)
        return mark_attempt_failed(message, f"{type(error).__name__}: {error}")
    record_sent(message, provider_message_id=provider_message_id, log=log)
    return SENT


def record_sent(
    message: OutboxMessage, *, provider_message_id: str = "", log: dict | None = None
) -> bool:
    """``mark_sent``, tried again across a short database outage (for up to half the lease).

    The message has gone out: if the row stayed ``sending`` because the database was away
    for a moment, the sweep would send it a second time once the lease ended. ``log``: the
    fields of the ``WebhookDelivery`` of a delivered webhook, written in the same
    transaction (and retried with it), so that an outage between the receiver's answer and
    the log cannot turn the delivery into a failed attempt that is sent again.
    """
    deadline = time.monotonic() + LEASE.total_seconds() / 2
    pause = 0.25
    while True:
        try:
            with transaction.atomic():
                if log is not None:
                    WebhookDelivery.objects.create(**log)
                return mark_sent(message, provider_message_id=provider_message_id)
        except (OperationalError, InterfaceError):
            if time.monotonic() + pause > deadline:
                raise
            logger.warning(
                "Outbox message %s sent; recording it once the database is back", message.pk
            )
            if not connection.in_atomic_block:  # (a worker runs in autocommit)
                with contextlib.suppress(Exception):
                    connection.close()  # the next query opens a new connection
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def message_id_header(message: OutboxMessage) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<outbox-{message.tenant_id}-{message.pk}@{domain}>"


def qr_png(url: str) -> bytes:
    buffer = BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    tenant = require_current_tenant()
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=formataddr((tenant.name, settings.DEFAULT_FROM_EMAIL)),
        to=[message.recipient],
        reply_to=[tenant.notification_email] if tenant.notification_email else None,
        headers={"Message-ID": message_id_header(message), "X-Returns-Event": message.event},
    )
    email.attach_alternative(message.body_html, "text/html")
    if message.qr_url:
        # multipart/related keeps the image next to the HTML that shows it (cid:qr-code).
        email.mixed_subtype = "related"
        image = MIMEImage(qr_png(message.qr_url), "png")
        image.add_header("Content-ID", "<qr-code>")
        image.add_header("Content-Disposition", "inline", filename="qr-code.png")
        email.attach(image)
    for attachment in mail_attachments(message):
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def send_email(message: OutboxMessage) -> str:
    """Send through Django's mail API; the configured backend decides SMTP, ESP or file."""
    email = build_email(message)
    email.send(fail_silently=False)
    status = getattr(email, "anymail_status", None)
    provider_id = getattr(status, "message_id", None) if status is not None else None
    if provider_id is None or provider_id == "":
        return message_id_header(message)
    return str(provider_id)


def webhook_body(message: OutboxMessage) -> bytes:
    return json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False).encode()


def send_webhook(message: OutboxMessage) -> tuple[str, dict]:
    subscription = message.subscription
    if subscription is None or not subscription.active:
        raise DeliveryFailed(SUBSCRIPTION_GONE, permanent=True)
    body = webhook_body(message)
    delivery_id = f"{message.event_id}.{message.pk}"
    try:
        target = webhooks.resolve_target(subscription.url)
    except webhooks.UnsafeTarget as error:
        _log_delivery(message, webhooks.HttpResult(None, "", 0, error.message))
        raise DeliveryFailed(error.message, permanent=error.permanent) from error
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "returns-platform-webhooks/1",
        signing.SIGNATURE_HEADER: signing.sign(subscription.secret, body),
        signing.EVENT_HEADER: message.event,
        signing.DELIVERY_HEADER: delivery_id,
    }
    result = webhooks.post(target, body, headers)
    if not result.ok:
        _log_delivery(message, result)
        reason = result.error or f"HTTP {result.status_code}"
        raise DeliveryFailed(reason)
    # Delivered: the log is written with the message's ``sent`` (``record_sent``).
    return delivery_id, _delivery_fields(message, result)


def _delivery_fields(message: OutboxMessage, result: webhooks.HttpResult) -> dict:
    """The ``WebhookDelivery`` of this attempt, as fields."""
    return {
        "subscription_id": message.subscription_id,
        "message": message,
        "attempt": message.attempts,
        "status_code": result.status_code,
        "response_excerpt": result.excerpt,
        "duration_ms": result.duration_ms,
        "error": result.error,
        "created_at": timezone.now(),
    }


def _log_delivery(message: OutboxMessage, result: webhooks.HttpResult) -> None:
    WebhookDelivery.objects.create(**_delivery_fields(message, result))
