"""The message thread of a return: the customer, the shop's staff and internal notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from returns.models import random_stored_name
from returns_platform.tenancy import TenantOwnedModel


class AuthorKind(models.TextChoices):
    STAFF = "staff", "Staff"
    CONSUMER = "consumer", "Customer"
    SYSTEM = "system", "System"


class Message(TenantOwnedModel):
    return_request = models.ForeignKey(
        "returns.ReturnRequest", on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    author_label = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Internal notes are for colleagues only: never shown on the portal, never mailed.
    is_internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["tenant", "return_request", "created_at"], name="message_thread")
        ]

    def __str__(self) -> str:
        return f"{self.author_kind}: {self.body[:40]}"


def message_attachment_path(instance: MessageAttachment, filename: str) -> str:
    return random_stored_name("messages", instance.tenant_id, filename)


class MessageAttachment(TenantOwnedModel):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", db_index=False
    )
    file = models.FileField(upload_to=message_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["tenant", "message"], name="message_attachment")]

    def __str__(self) -> str:
        return self.original_name or self.file.name
