"""Read queries of the notifications app (always through the tenant scope)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from notifications.mails import LANGUAGES, MAIL_EVENTS
from notifications.models import (
    NotificationTemplate,
    OutboxKind,
    OutboxMessage,
    WebhookDelivery,
    WebhookSubscription,
)
from notifications.texts import default_texts


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


def mail_log(*, status: str = "", search: str = "") -> QuerySet[OutboxMessage]:
    """Every mail of the shop, newest first; ``search`` matches recipient, order or RMA."""
    mails = OutboxMessage.objects.filter(kind=OutboxKind.EMAIL)
    if status:
        mails = mails.filter(status=status)
    search = search.strip()
    if search:
        mails = mails.filter(
            Q(recipient__iexact=search) | Q(order_number=search) | Q(rma__iexact=search)
        )
    return mails.order_by("-created_at", "-id")


def mail_get(*, message_id: int) -> OutboxMessage:
    """One mail of the shop (404 for a webhook message or another shop's id)."""
    return get_object_or_404(OutboxMessage.objects.filter(kind=OutboxKind.EMAIL), pk=message_id)


@dataclass(frozen=True)
class TemplateRow:
    event: str
    language: str
    template: NotificationTemplate | None  # the shop's own text, or None for the default

    @property
    def is_customised(self) -> bool:
        return self.template is not None


def template_overview() -> list[tuple[str, list[TemplateRow]]]:
    """Per mail event, one row per language saying whether the shop has its own text."""
    own = {(t.event, t.language): t for t in NotificationTemplate.objects.all()}
    return [
        (
            event,
            [TemplateRow(event, language, own.get((event, language))) for language in LANGUAGES],
        )
        for event in MAIL_EVENTS
    ]


def template_texts(*, event: str, language: str) -> tuple[str, str, NotificationTemplate | None]:
    """(subject, body, the shop's template or None): what a mail would be rendered from."""
    if event not in MAIL_EVENTS or language not in LANGUAGES:
        raise Http404("No such mail template.")
    template = NotificationTemplate.objects.filter(event=event, language=language).first()
    if template is not None:
        return template.subject, template.body, template
    subject, body = default_texts(event, language)
    return subject, body, None


def order_exists(*, order_number: str) -> bool:
    from orders.models import Order

    return Order.objects.filter(number=order_number).exists()


def return_exists(*, rma: str) -> bool:
    from returns.models import ReturnRequest

    return ReturnRequest.objects.filter(rma=rma).exists()
