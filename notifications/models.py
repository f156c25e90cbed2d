"""The outbox (mails and webhooks to deliver), tenant templates and webhook subscriptions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from returns_platform.tenancy import TenantOwnedModel


class OutboxKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("outbox status", "Queued")
    SENDING = "sending", pgettext_lazy("outbox status", "Sending")
    SENT = "sent", pgettext_lazy("outbox status", "Sent")
    FAILED = "failed", pgettext_lazy("outbox status", "Failed")


class OutboxMessage(TenantOwnedModel):
    """One mail or one webhook call, written in the transaction of the change it reports.

    Only ``notifications.delivery`` changes ``status`` (compare-and-set updates).
    """

    kind = models.CharField(max_length=8, choices=OutboxKind.choices)
    event = models.CharField(max_length=64)
    event_id = models.CharField(max_length=36, help_text="Shared by all messages of one event.")
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    order_number = models.CharField(max_length=64, blank=True)
    rma = models.CharField(max_length=32, blank=True)
    recipient = models.CharField(max_length=500, help_text="E-mail address or webhook URL.")
    language = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # URL encoded as an inline QR code image (cid:qr-code) when the mail is sent.
    qr_url = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(null=True, blank=True)
    subscription = models.ForeignKey(
        "notifications.WebhookSubscription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    resend_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "order_number", "created_at"], name="outbox_order"),
            models.Index(fields=["tenant", "rma", "created_at"], name="outbox_rma"),
            models.Index(fields=["tenant", "subscription", "id"], name="outbox_subscription"),
            # The sweep reads only unfinished rows: a small partial index.
            models.Index(
                fields=["tenant", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="outbox_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event} -> {self.recipient} ({self.status})"


class NotificationTemplate(TenantOwnedModel):
    """A tenant's own subject and body for one event in one language."""

    event = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    updated_by = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "event", "language"], name="notification_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} [{self.language}]"


class WebhookSubscription(TenantOwnedModel):
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text='Event names, or ["*"] for all.')
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.active and ("*" in self.events or event in self.events)


class WebhookDelivery(TenantOwnedModel):
    """One attempt to deliver a webhook message: what the receiver answered, and how fast."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    attempt = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["tenant", "subscription", "id"], name="webhookdelivery_sub"),
            models.Index(fields=["tenant", "message"], name="webhookdelivery_message"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.attempt}: {self.status_code or self.error}"
