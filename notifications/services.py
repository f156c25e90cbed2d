"""Commands of the notifications app: tenant templates, resending, webhook subscriptions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import webhooks
from notifications.mails import LANGUAGES, MAIL_EVENTS
from notifications.models import (
    NotificationTemplate,
    OutboxMessage,
    OutboxStatus,
    WebhookSubscription,
)
from notifications.outbox import enqueue_after_commit
from notifications.planning import ALL_EVENTS
from notifications.rendering import RenderedMail, TemplateProblem, check_source, render_mail
from notifications.samples import sample_context
from notifications.signing import generate_secret
from returns_platform.audit import Actor
from returns_platform.errors import ConflictError, DomainError
from returns_platform.events import record
from returns_platform.tenancy import require_current_tenant

# How the two parts of a template are named in the messages above.
PART_NAMES = {"subject": _("subject"), "body": _("body")}


def _check_event_language(event: str, language: str) -> None:
    if event not in MAIL_EVENTS:
        raise DomainError(code="unknown_event", field="event", params={"event": event})
    if language not in LANGUAGES:
        raise DomainError(
            code="unknown_language",
            field="language",
            params={"languages": ", ".join(LANGUAGES), "language": language},
        )


def _render_checked(*, event: str, language: str, subject: str, body: str) -> RenderedMail:
    """Parse both texts (refusing forbidden tags), then render them against sample data."""
    if len(subject) > 300:
        raise DomainError(code="template_error.subject_too_long", field="subject", line=1)
    for part, source in (("subject", subject), ("body", body)):
        try:
            check_source(source, part=part)
        except TemplateProblem as problem:
            raise DomainError(
                code="template_error",
                field=part,
                line=problem.line,
                params={"part": PART_NAMES[part], "line": problem.line, "message": problem.message},
            ) from problem
    tenant = require_current_tenant()
    try:
        return render_mail(
            event=event,
            language=language,
            context=sample_context(event, tenant, language),
            subject=subject,
            body=body,
        )
    except Exception as error:  # noqa: BLE001 - reported to the editor, never stored
        raise DomainError(
            code="template_error.render",
            field="body",
            line=None,
            params={"part": PART_NAMES["body"], "message": error},
        ) from error


def template_preview(*, event: str, language: str, subject: str, body: str) -> RenderedMail:
    """Render a (draft) template against sample data, as the back office's live preview."""
    _check_event_language(event, language)
    return _render_checked(event=event, language=language, subject=subject, body=body)


@transaction.atomic
def template_save(
    *, event: str, language: str, subject: str, body: str, actor: Actor
) -> NotificationTemplate:
    """Store the tenant's text for one event and language, after a test render."""
    _check_event_language(event, language)
    _render_checked(event=event, language=language, subject=subject, body=body)
    template, created = NotificationTemplate.objects.update_or_create(
        event=event,
        language=language,
        defaults={"subject": subject, "body": body, "updated_by": actor.label[:200]},
    )
    record(
        "notification_template.created" if created else "notification_template.updated",
        actor=actor,
        subject=template,
        data={"event": event, "language": language},
    )
    return template


@transaction.atomic
def template_delete(*, event: str, language: str, actor: Actor) -> bool:
    """Go back to the default text; True when there was a tenant template."""
    deleted, _ = NotificationTemplate.objects.filter(event=event, language=language).delete()
    if deleted:
        record(
            "notification_template.deleted",
            actor=actor,
            subject_id=f"{event}/{language}",
            data={"event": event, "language": language},
        )
    return bool(deleted)


@transaction.atomic
def outbox_resend(*, message: OutboxMessage, actor: Actor) -> OutboxMessage:
    """Queue a sent or failed message again, as a new row that points at the original."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status not in (OutboxStatus.SENT, OutboxStatus.FAILED):
        raise ConflictError(
            code="message_not_finished",
            status_now=message.status,
            params={"status": message.get_status_display()},
        )
    now = timezone.now()
    copy = OutboxMessage.objects.create(
        kind=message.kind,
        event=message.event,
        event_id=message.event_id,
        subject_type=message.subject_type,
        subject_id=message.subject_id,
        order_number=message.order_number,
        rma=message.rma,
        recipient=message.recipient,
        language=message.language,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        qr_url=message.qr_url,
        payload=message.payload,
        subscription_id=message.subscription_id,
        resend_of=message,
        next_attempt_at=now,
        created_at=now,
    )
    record(
        "outbox.resent",
        actor=actor,
        subject_id=message.pk,
        order_number=message.order_number,
        data={
            "kind": message.kind,
            "event": message.event,
            "recipient": message.recipient,
            "new_message": copy.pk,
            "previous_status": message.status,
        },
    )
    enqueue_after_commit(copy.tenant_id, [copy.pk])
    return copy


@dataclass(frozen=True)
class CreatedSubscription:
    subscription: WebhookSubscription
    secret: str


def _check_target(url: str) -> None:
    try:
        webhooks.resolve_target(url)
    except webhooks.UnsafeTarget as error:
        raise DomainError(code=error.code, field="url", params=error.params) from error


@transaction.atomic
def webhook_subscription_create(
    *, url: str, events: list[str], actor: Actor
) -> CreatedSubscription:
    """Subscribe ``url`` to ``events``; the secret is returned here and never shown again."""
    events = _check_events(events)
    _check_target(url)
    secret = generate_secret()
    subscription = WebhookSubscription.objects.create(url=url, events=events, secret=secret)
    record(
        "webhook_subscription.created",
        actor=actor,
        subject_id=subscription.pk,
        data={"url": url, "events": subscription.events},
    )
    return CreatedSubscription(subscription, secret)


def _check_events(events: list[str]) -> list[str]:
    if not events:
        raise DomainError(code="no_events", field="events")
    for event in events:
        if event != "*" and event not in ALL_EVENTS:
            raise DomainError(code="unknown_event.webhook", field="events", params={"event": event})
    return sorted(set(events))


@transaction.atomic
def webhook_subscription_update(
    *,
    subscription: WebhookSubscription,
    url: str,
    events: list[str],
    active: bool,
    actor: Actor,
) -> WebhookSubscription:
    """Change where a subscription points, what it hears and whether it is on.

    The secret stays; messages already queued keep the URL they were written for.
    """
    events = _check_events(events)
    if url != subscription.url:
        _check_target(url)
    changes = {
        name: value
        for name, value in (("url", url), ("events", events), ("active", active))
        if getattr(subscription, name) != value
    }
    if not changes:
        return subscription
    for name, value in changes.items():
        setattr(subscription, name, value)
    subscription.save(update_fields=list(changes))
    record(
        "webhook_subscription.updated",
        actor=actor,
        subject_id=subscription.pk,
        data={"changed": sorted(changes), "url": subscription.url, "events": events},
    )
    return subscription


@transaction.atomic
def webhook_subscription_rotate_secret(
    *, subscription: WebhookSubscription, actor: Actor
) -> CreatedSubscription:
    """Replace the signing secret; the new one is returned here and never shown again.

    Deliveries signed from now on (retries of queued messages too) use the new secret.
    """
    secret = generate_secret()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(secret=secret)
    subscription.secret = secret
    record(
        "webhook_subscription.secret_rotated",
        actor=actor,
        subject_id=subscription.pk,
        data={"url": subscription.url},
    )
    return CreatedSubscription(subscription, secret)


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, actor: Actor) -> None:
    """Remove the subscription; its queued messages fail instead of going out."""
    record(
        "webhook_subscription.deleted",
        actor=actor,
        subject_id=subscription.pk,
        data={"url": subscription.url, "events": subscription.events},
    )
    subscription.delete()


@transaction.atomic
def mail_switches_set(*, sent: list[str], actor: Actor) -> list[str]:
    """Send exactly the mails in ``sent``; every other mail of ``MAIL_EVENTS`` is switched
    off for the shop. Returns the mails now switched off (audited when it changes)."""
    for event in sent:
        if event not in MAIL_EVENTS:
            raise DomainError(code="unknown_event", field="sent", params={"event": event})
    tenant = require_current_tenant()
    switched_off = [event for event in MAIL_EVENTS if event not in set(sent)]
    previous = list(tenant.mails_switched_off or [])
    if sorted(previous) == sorted(switched_off):
        return switched_off
    tenant.mails_switched_off = switched_off
    tenant.save(update_fields=["mails_switched_off"])
    record(
        "notifications.mails_switched",
        actor=actor,
        subject=tenant,
        data={"from": previous, "to": switched_off},
    )
    return switched_off
