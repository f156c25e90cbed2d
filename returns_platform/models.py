"""Cross-cutting records: the audit log, document counters and API idempotency keys."""

from django.db import models

from returns_platform.tenancy import TenantOwnedModel


class ActorKind(models.TextChoices):
    STAFF = "staff", "Staff user"
    API_KEY = "api_key", "API key"
    CONSUMER = "consumer", "Consumer"
    SYSTEM = "system", "System"


class AuditEvent(TenantOwnedModel):
    """One append-only line of a tenant's document history.

    Events of a tenant form a hash chain (``sequence``, ``previous_hash``, ``hash``) so
    that an edited or removed row is detectable (``manage.py verify_audit``). On
    PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    sequence = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=64)
    # The order the subject belongs to, so an order's document history is one query.
    order_number = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "sequence"], name="audit_unique_sequence")
        ]
        indexes = [
            models.Index(fields=["tenant", "subject_type", "subject_id"], name="audit_subject"),
            models.Index(fields=["tenant", "order_number"], name="audit_order"),
        ]
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}:{self.subject_id}"


class AuditChain(TenantOwnedModel):
    """Head of a tenant's audit hash chain; locked while events are appended."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="audit_chain_per_tenant")]


class DocumentCounter(TenantOwnedModel):
    """A gapless number series per tenant (RMA numbers, credit notes per year)."""

    series = models.CharField(max_length=32)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "series"], name="counter_unique_series")
        ]


class IdempotencyRecord(TenantOwnedModel):
    """The stored answer to a POST that carried an ``Idempotency-Key`` header."""

    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="idempotency_unique_key")
        ]
