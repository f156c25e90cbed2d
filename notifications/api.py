"""Webhook subscriptions API: list, create (secret shown once), delete, deliveries, resend."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from notifications import selectors, services
from notifications.serializers import (
    OutboxMessageOutput,
    WebhookDeliveryOutput,
    WebhookSubscriptionCreatedOutput,
    WebhookSubscriptionInput,
    WebhookSubscriptionOutput,
)
from returns_platform.api import TenantAPIView, idempotent


class WebhookListCreateApi(TenantAPIView):
    @extend_schema(operation_id="webhooks_list", responses=WebhookSubscriptionOutput(many=True))
    def get(self, request):
        return self.paginate(selectors.webhook_subscription_list(), WebhookSubscriptionOutput)

    @extend_schema(
        operation_id="webhooks_create",
        request=WebhookSubscriptionInput,
        responses={201: WebhookSubscriptionCreatedOutput},
        description="Subscribe a URL to events (or `*`). The answer carries the signing "
        "secret; it is not shown again.",
    )
    @idempotent
    def post(self, request):
        data = WebhookSubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.webhook_subscription_create(**data.validated_data, actor=self.actor)
        body = WebhookSubscriptionCreatedOutput(
            created.subscription, context={"secret": created.secret}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailApi(TenantAPIView):
    @extend_schema(operation_id="webhooks_retrieve", responses=WebhookSubscriptionOutput)
    def get(self, request, subscription_id: int):
        subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
        return Response(WebhookSubscriptionOutput(subscription).data)

    @extend_schema(operation_id="webhooks_destroy", responses={204: None})
    def delete(self, request, subscription_id: int):
        subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
        services.webhook_subscription_delete(subscription=subscription, actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(TenantAPIView):
    @extend_schema(
        operation_id="webhooks_deliveries_list", responses=WebhookDeliveryOutput(many=True)
    )
    def get(self, request, subscription_id: int):
        subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
        return self.paginate(
            selectors.webhook_delivery_list(subscription=subscription), WebhookDeliveryOutput
        )


class WebhookDeliveryResendApi(TenantAPIView):
    @extend_schema(
        operation_id="webhooks_deliveries_resend",
        request=None,
        responses={202: OutboxMessageOutput},
        description="Send the delivery's message again, as a new outbox message.",
    )
    def post(self, request, subscription_id: int, delivery_id: int):
        subscription = selectors.webhook_subscription_get(subscription_id=subscription_id)
        delivery = selectors.webhook_delivery_get(
            subscription=subscription, delivery_id=delivery_id
        )
        message = services.outbox_resend(message=delivery.message, actor=self.actor)
        message.refresh_from_db()
        return Response(OutboxMessageOutput(message).data, status=status.HTTP_202_ACCEPTED)
