"""The domain-event subscriber: events become outbox rows in the publisher's transaction.

``handle_event`` runs inside the transaction of the change it reports (see
``returns_platform.events``). It renders the mails right away (so the mail log shows
exactly what was sent, and a later template edit does not change a queued mail), writes
one outbox row per mail and per matching webhook subscription, and asks for delivery
only once the transaction has committed. It does no I/O of its own.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from notifications.models import (
    NotificationTemplate,
    OutboxKind,
    OutboxMessage,
    WebhookSubscription,
)
from notifications.planning import PlannedMail, load_order, plan_mails
from notifications.rendering import RenderedMail, render_mail
from returns_platform.events import DomainEvent
from returns_platform.tenancy import require_current_tenant

logger = logging.getLogger(__name__)

WEBHOOK_PAYLOAD_VERSION = 1


def handle_event(event: DomainEvent) -> list[OutboxMessage]:
    tenant = require_current_tenant()
    order = load_order(event)
    mails = plan_mails(event, tenant, order=order)
    now = timezone.now()
    event_id = str(uuid.uuid4())
    rows = [_mail_row(event, event_id, mail, rendered, now) for mail, rendered in _render(mails)]
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True) if s.wants(event.name)
    ]
    if subscriptions:
        payload = webhook_payload(event, event_id, tenant, now, order=order)
        for subscription in subscriptions:
            rows.append(
                OutboxMessage(
                    kind=OutboxKind.WEBHOOK,
                    event=event.name,
                    event_id=event_id,
                    subject_type=event.subject_type,
                    subject_id=event.subject_id[:64],
                    order_number=payload["data"].get("order_number", "")[:64],
                    rma=str(payload["data"].get("rma", ""))[:32],
                    recipient=subscription.url,
                    subscription=subscription,
                    payload=payload,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    if not rows:
        return []
    OutboxMessage.objects.bulk_create(rows)
    enqueue_after_commit(tenant.pk, [row.pk for row in rows])
    return rows


def enqueue_after_commit(tenant_id: int, message_ids: Iterable[int]) -> None:
    """Hand the messages to the workers once (and only if) the transaction commits."""
    message_ids = list(message_ids)

    def enqueue() -> None:
        from notifications.tasks import deliver_outbox_message

        for message_id in message_ids:
            try:
                deliver_outbox_message.delay(tenant_id, message_id)
            except Exception:  # noqa: BLE001 - the sweep picks the row up later
                logger.exception("Could not enqueue outbox message %s", message_id)

    transaction.on_commit(enqueue)


def _render(mails: list[PlannedMail]) -> list[tuple[PlannedMail, RenderedMail]]:
    if not mails:
        return []
    overrides = {
        (template.event, template.language): template
        for template in NotificationTemplate.objects.filter(
            event__in={mail.template for mail in mails},
            language__in={mail.language for mail in mails},
        )
    }
    rendered = []
    for mail in mails:
        override = overrides.get((mail.template, mail.language))
        rendered.append((mail, render_with_override(mail, override)))
    return rendered


def render_with_override(mail: PlannedMail, override: NotificationTemplate | None) -> RenderedMail:
    """The tenant's text when it renders; the default text otherwise (never lose a mail)."""
    if override is not None:
        try:
            return render_mail(
                event=mail.template,
                language=mail.language,
                context=mail.context,
                subject=override.subject,
                body=override.body,
            )
        except Exception:  # noqa: BLE001 - templates are checked on save; this is a backstop
            logger.exception("Tenant template %s/%s failed", mail.template, mail.language)
    return render_mail(event=mail.template, language=mail.language, context=mail.context)


def _mail_row(
    event: DomainEvent, event_id: str, mail: PlannedMail, rendered: RenderedMail, now: Any
) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxKind.EMAIL,
        event=mail.template,
        event_id=event_id,
        subject_type=event.subject_type,
        subject_id=event.subject_id[:64],
        order_number=mail.order_number[:64],
        rma=mail.rma[:32],
        recipient=mail.recipient,
        language=mail.language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        qr_url=mail.qr_url,
        next_attempt_at=now,
        created_at=now,
    )


def webhook_payload(
    event: DomainEvent, event_id: str, tenant: Any, now: Any, *, order: Any = None
) -> dict:
    """The versioned JSON body of a webhook: the same for every subscription of the event."""
    data = json.loads(json.dumps(event.data or {}, default=str))
    if order is not None:
        data.setdefault("order_number", order.number)
    return {
        "id": event_id,
        "type": event.name,
        "version": WEBHOOK_PAYLOAD_VERSION,
        "created_at": now.isoformat(),
        "tenant": tenant.slug,
        "subject": {"type": event.subject_type, "id": event.subject_id},
        "data": data,
    }
