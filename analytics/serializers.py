"""Input and output shapes of the analytics API (validation only)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.exports import SEPARATORS
from returns.statuses import CaseType
from returns_platform.api import StrictSerializer, rule_codes
from returns_platform.api_fields import AMOUNT_SCHEMA
from returns_platform.money import amount_text
from returns_platform.tenancy import require_current_tenant

DEFAULT_DAYS = 30
MAX_DAYS = 731
# Each date is valid on its own; the period they make is refused by a rule (422).
rule_codes("invalid_period", "period_too_long")


class PeriodInput(StrictSerializer):
    """The period and filters; ``from``/``to`` default to the last 30 days up to today."""

    to = serializers.DateField(required=False)
    channel = serializers.CharField(required=False, allow_blank=True, max_length=50)
    category = serializers.CharField(required=False, allow_blank=True, max_length=100)
    sku = serializers.CharField(required=False, allow_blank=True, max_length=100)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    case_type = serializers.ChoiceField(required=False, allow_blank=True, choices=CaseType.choices)
    decimal = serializers.ChoiceField(required=False, choices=SEPARATORS)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: the field is declared under its query name here.
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs):
        end = attrs.get("to") or timezone.localdate()
        start = attrs.get("from") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise serializers.ValidationError(
                {"from": serializers.ErrorDetail("`from` is after `to`.", code="invalid_period")}
            )
        if (end - start).days + 1 > MAX_DAYS:
            raise serializers.ValidationError(
                {
                    "from": serializers.ErrorDetail(
                        f"A period is at most {MAX_DAYS} days.", code="period_too_long"
                    )
                }
            )
        attrs["from"], attrs["to"] = start, end
        attrs["country"] = (attrs.get("country") or "").upper()
        return attrs


@extend_schema_field(AMOUNT_SCHEMA)
class ShopAmountField(serializers.Field):
    """An amount of the summaries, in the shop's currency: written with its minor units."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return amount_text(value, require_current_tenant().currency)


class ReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    units = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=6, decimal_places=4)


class ResolutionCountOutput(serializers.Serializer):
    resolution = serializers.CharField()
    count = serializers.IntegerField()
    amount = ShopAmountField()


class MoneyOutput(serializers.Serializer):
    currency = serializers.CharField()
    amount = ShopAmountField()


class SkuOutput(serializers.Serializer):
    sku = serializers.CharField()
    name = serializers.CharField()
    units_sold = serializers.IntegerField()
    units_returned = serializers.IntegerField()
    return_rate = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)


class CategoryOutput(serializers.Serializer):
    category = serializers.CharField()
    units_sold = serializers.IntegerField()
    units_returned = serializers.IntegerField()
    return_rate = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)


class DaysOutput(serializers.Serializer):
    median = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    p90 = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class TransitOutput(serializers.Serializer):
    carrier = serializers.CharField()
    parcels = serializers.IntegerField()
    median = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    p90 = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class CsatOutput(serializers.Serializer):
    responses = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


class ReturnsAnalyticsOutput(serializers.Serializer):
    """Figures of the period: sales and returns, reasons, resolutions, money and speed."""

    to = serializers.DateField()
    currency = serializers.CharField()
    orders = serializers.IntegerField()
    units_sold = serializers.IntegerField()
    returns = serializers.IntegerField()
    units_returned = serializers.IntegerField()
    return_rate = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    reasons = ReasonOutput(many=True)
    resolutions = ResolutionCountOutput(many=True)
    refunded = MoneyOutput()
    by_sku = SkuOutput(many=True)
    by_category = CategoryOutput(many=True)
    days_to_refund = DaysOutput()
    days_in_transit = TransitOutput(
        many=True,
        help_text="Per carrier: parcels delivered at the warehouse, median and 90th "
        "percentile days from the carrier's first scan (or the label) to delivery.",
    )
    csat = CsatOutput()

    def get_fields(self):
        fields = super().get_fields()
        fields = {"from": serializers.DateField(), **fields}
        return fields
