"""Read queries of the notifications app (always through the tenant scope)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from notifications.models import OutboxKind, OutboxMessage, WebhookDelivery, WebhookSubscription


def mail_log_for_order(*, order_number: str) -> QuerySet[OutboxMessage]:
    """Every mail about an order (its returns' mails carry the order number too), newest first."""
    return OutboxMessage.objects.filter(kind=OutboxKind.EMAIL, order_number=order_number).order_by(
        "-created_at", "-id"
    )


def mail_log_for_return(*, rma: str) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(kind=OutboxKind.EMAIL, rma=rma).order_by(
        "-created_at", "-id"
    )


def outbox_message_get(*, message_id: int) -> OutboxMessage:
    return get_object_or_404(OutboxMessage.objects.all(), pk=message_id)


def webhook_subscription_list() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.all()


def webhook_subscription_get(*, subscription_id: int) -> WebhookSubscription:
    return get_object_or_404(WebhookSubscription.objects.all(), pk=subscription_id)


def webhook_delivery_list(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(subscription=subscription).select_related("message")


def webhook_delivery_get(*, subscription: WebhookSubscription, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(webhook_delivery_list(subscription=subscription), pk=delivery_id)
