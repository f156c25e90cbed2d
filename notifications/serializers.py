"""Input and output shapes of the webhooks API (validation only; no business rules)."""

from rest_framework import serializers

from notifications.models import OutboxMessage, WebhookDelivery, WebhookSubscription
from notifications.planning import ALL_EVENTS
from returns_platform.api import StrictSerializer
from returns_platform.api_fields import WebUrlField

EVENT_CHOICES = ["*", *ALL_EVENTS]


class WebhookSubscriptionInput(StrictSerializer):
    url = WebUrlField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        allow_empty=False,
        max_length=len(EVENT_CHOICES),
    )


class WebhookSubscriptionOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "active", "created_at"]


class WebhookSubscriptionCreatedOutput(WebhookSubscriptionOutput):
    secret = serializers.SerializerMethodField()

    class Meta(WebhookSubscriptionOutput.Meta):
        fields = [*WebhookSubscriptionOutput.Meta.fields, "secret"]

    def get_secret(self, subscription: WebhookSubscription) -> str:
        return self.context["secret"]


class WebhookDeliveryOutput(serializers.ModelSerializer):
    message = serializers.IntegerField(source="message_id")
    event = serializers.CharField(source="message.event")
    message_status = serializers.CharField(source="message.status")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message",
            "event",
            "message_status",
            "attempt",
            "status_code",
            "response_excerpt",
            "duration_ms",
            "error",
            "created_at",
        ]


class OutboxMessageOutput(serializers.ModelSerializer):
    # Plain strings in the schema: enum components named "status"/"kind" collide across apps.
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "kind",
            "event",
            "recipient",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
            "sent_at",
        ]
