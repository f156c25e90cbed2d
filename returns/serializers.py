"""Input and output shapes of the returns API (validation only; no business rules)."""

import base64
import binascii
from decimal import Decimal

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from returns.models import Attachment, Feedback, ReturnLine, ReturnRequest
from returns.statuses import (
    CaseType,
    Condition,
    Disposition,
    Resolution,
    ReturnMethod,
    ReturnStatus,
    allowed_targets,
)
from returns_platform.api import StrictSerializer
from returns_platform.api_fields import AmountField, AmountOutputField, StrictIntegerField
from returns_platform.models import AuditEvent


class ReturnLineInput(StrictSerializer):
    order_line = StrictIntegerField(min_value=1)
    # 0 passes here so that the service answers with its own code for it.
    quantity = StrictIntegerField(min_value=0, max_value=100_000)
    reason = serializers.SlugField(max_length=50)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    # An exchange: the SKU of the replacement (one of the order line's variants).
    exchange_sku = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


# Standard base64 with its padding, as ``b64decode(validate=True)`` reads it.
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class AttachmentInput(StrictSerializer):
    """A photo (JPEG, PNG, WebP) or PDF sent with a request, base64-encoded; ``line`` is the
    index of the request line it shows (left out: the whole request)."""

    name = serializers.CharField(max_length=200)
    content = serializers.CharField(
        max_length=14_000_000,
        help_text="base64",
        validators=[RegexValidator(BASE64, message="Not base64.", code="invalid")],
    )
    line = StrictIntegerField(required=False, allow_null=True, default=None, min_value=0)

    def validate_content(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise serializers.ValidationError("Not base64.", code="invalid") from error


class ReturnCreateInput(StrictSerializer):
    order = serializers.CharField(max_length=64)
    case_type = serializers.ChoiceField(choices=CaseType.choices, default=CaseType.RETURN)
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    # Required when goods travel back; a missing item has no parcel and the shop records
    # the method itself (whatever is sent is ignored).
    method = serializers.ChoiceField(
        choices=ReturnMethod.choices, required=False, allow_blank=True, default=""
    )
    language = serializers.ChoiceField(
        choices=["en", "nl", "de", "pl", "sv"], required=False, allow_null=True, default=None
    )
    lines = ReturnLineInput(many=True, allow_empty=False, max_length=500)
    # Photos of the problem: a complaint needs one for every line (or one for all).
    attachments = AttachmentInput(many=True, required=False, max_length=10, default=list)
    # The answer to the keep-the-item offer; left out: taken when the request qualifies.
    keep_item = serializers.BooleanField(required=False, allow_null=True, default=None)


class TransitionInput(StrictSerializer):
    to = serializers.ChoiceField(choices=ReturnStatus.choices)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReceiptLineInput(StrictSerializer):
    line_id = StrictIntegerField(min_value=1)
    received_quantity = StrictIntegerField(min_value=0, max_value=100_000)
    condition = serializers.ChoiceField(choices=Condition.choices)
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    accepted_amount = AmountField(
        max_digits=13, decimal_places=3, min_value=Decimal("0"), required=False, allow_null=True
    )
    accepted_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class ReceiptInput(StrictSerializer):
    lines = ReceiptLineInput(many=True, allow_empty=False, max_length=500)
    inspected = serializers.BooleanField(default=False)


class ReturnListFilter(StrictSerializer):
    status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False)
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)
    channel = serializers.SlugField(max_length=50, required=False)
    assignee = serializers.EmailField(required=False)
    created_after = serializers.DateTimeField(required=False)
    created_before = serializers.DateTimeField(required=False)
    q = serializers.CharField(max_length=200, required=False)
    cursor = serializers.CharField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200)


class ReturnLineOutput(serializers.ModelSerializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(source="reason.code")
    unit_price = AmountOutputField(currency="request.currency")
    accepted_amount = AmountOutputField(currency="request.currency", allow_null=True)
    exchange_unit_price = AmountOutputField(currency="request.currency", allow_null=True)

    class Meta:
        model = ReturnLine
        fields = [
            "id",
            "order_line",
            "sku",
            "name",
            "quantity",
            "unit_price",
            "reason",
            "comment",
            "received_quantity",
            "condition",
            "disposition",
            "accepted_amount",
            "accepted_reason",
            "exchange_sku",
            "exchange_name",
            "exchange_unit_price",
        ]


class AttachmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "line", "original_name", "content_type", "size", "created_at"]


class ReturnSummaryOutput(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number")
    channel = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    held_by = serializers.SerializerMethodField()
    lines = ReturnLineOutput(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()
    return_cost = AmountOutputField()
    refund_total = AmountOutputField()

    class Meta:
        model = ReturnRequest
        fields = [
            "rma",
            "order",
            "case_type",
            "status",
            "resolution",
            "method",
            "is_free_return",
            "keep_item",
            "return_cost",
            "refund_total",
            "currency",
            "email",
            "language",
            "channel",
            "assignee",
            "held_by",
            "warnings",
            "lines",
            "allowed_transitions",
            "created_at",
            "updated_at",
        ]

    def get_channel(self, obj: ReturnRequest) -> str:
        return obj.channel.code if obj.channel_id else ""

    def get_assignee(self, obj: ReturnRequest) -> str:
        return obj.assignee.email if obj.assignee_id else ""

    def get_held_by(self, obj: ReturnRequest) -> str:
        return obj.held_by.email if obj.held_by_id else ""

    def get_allowed_transitions(self, obj: ReturnRequest) -> list[str]:
        return allowed_targets(obj.status, obj.case_type, obj.keep_item)


class FeedbackOutput(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["rating", "comment", "language", "created_at", "updated_at"]


class ReturnOutput(ReturnSummaryOutput):
    attachments = AttachmentOutput(many=True, read_only=True)
    feedback = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField(
        help_text="The customer's status page (the address the label's QR code opens)."
    )

    def get_status_url(self, return_request) -> str:
        from returns.labels import status_url

        return status_url(return_request)

    class Meta(ReturnSummaryOutput.Meta):
        fields = [
            *ReturnSummaryOutput.Meta.fields,
            "verdicts",
            "refund_preview",
            "policy_snapshot",
            "attachments",
            "status_changed_at",
            "feedback",
            "status_url",
        ]

    @extend_schema_field(FeedbackOutput(allow_null=True))
    def get_feedback(self, obj: ReturnRequest) -> dict | None:
        """The customer's answer about a completed return (null until given)."""
        answer = Feedback.objects.filter(request=obj).first()
        return FeedbackOutput(answer).data if answer is not None else None


class HistoryOutput(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    time = serializers.DateTimeField(source="created_at")

    class Meta:
        model = AuditEvent
        fields = ["sequence", "time", "actor", "action", "subject_type", "subject_id", "data"]

    def get_actor(self, obj: AuditEvent) -> dict:
        return {"kind": obj.actor_kind, "label": obj.actor_label}
