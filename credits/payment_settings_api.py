"""GET/PUT /api/v1/settings/payments/ and POST .../test/: the shop's payment set-up.

Keys go in, never out: the answers show them masked (``sk_test_…4242``).
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from credits import selectors
from credits.services.payment_settings import (
    KEYED_PROVIDERS,
    MAX_VALIDITY_DAYS,
    payment_connection_test,
    payment_settings_update,
)
from credits.settings import CREDIT_SETTING_FIELDS
from credits.statuses import RefundProvider
from returns_platform.api import StrictSerializer, TenantAPIView
from returns_platform.api_fields import AmountField, StrictIntegerField
from tenants.models import ApiScope

KEYED_CHOICES = [
    (value, label) for value, label in RefundProvider.choices if value in KEYED_PROVIDERS
]


class PaymentAccountInput(StrictSerializer):
    provider = serializers.ChoiceField(choices=KEYED_CHOICES)
    api_key = serializers.CharField(max_length=500, required=False, allow_blank=True)
    remove = serializers.BooleanField(default=False)


class PaymentSettingsInput(StrictSerializer):
    default_provider = serializers.ChoiceField(choices=RefundProvider.choices, required=False)
    accounts = PaymentAccountInput(many=True, required=False)
    four_eyes_booking = serializers.BooleanField(required=False)
    four_eyes_above = serializers.DictField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text='Per currency, e.g. {"EUR": "250.00"}: with four-eyes booking on, only '
        "credit notes above it need a second person; a currency not listed always does.",
    )
    voucher_bonus_percent = AmountField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
    )
    voucher_validity_days = StrictIntegerField(
        min_value=0, max_value=MAX_VALIDITY_DAYS, required=False
    )

    def validate_accounts(self, accounts):
        providers = [account["provider"] for account in accounts]
        if len(providers) != len(set(providers)):
            raise serializers.ValidationError("Each provider may appear once.", code="duplicate")
        return accounts


class PaymentAccountOutput(serializers.Serializer):
    provider = serializers.CharField()
    api_key = serializers.CharField(help_text="Masked: the kind, the mode, the last four.")
    mode = serializers.ChoiceField(choices=["test", "live"])
    is_default = serializers.BooleanField()
    updated_at = serializers.DateTimeField()
    checked_at = serializers.DateTimeField(allow_null=True)
    check_ok = serializers.BooleanField(allow_null=True)


class PaymentSettingsOutput(serializers.Serializer):
    default_provider = serializers.ChoiceField(choices=RefundProvider.choices)
    accounts = PaymentAccountOutput(many=True)
    four_eyes_booking = serializers.BooleanField()
    four_eyes_above = serializers.DictField(child=serializers.CharField())
    voucher_bonus_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    voucher_validity_days = serializers.IntegerField(help_text="0: vouchers never expire.")


class ConnectionTestInput(StrictSerializer):
    provider = serializers.ChoiceField(choices=RefundProvider.choices)
    api_key = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="A key to try before saving it; empty: the stored key.",
    )


class ConnectionTestOutput(serializers.Serializer):
    provider = serializers.CharField()
    ok = serializers.BooleanField()
    mode = serializers.CharField()
    detail = serializers.CharField(help_text="Stripe: balance currencies; Mollie: methods.")


class PaymentSettingsApi(TenantAPIView):
    api_scope = ApiScope.SETTINGS

    @extend_schema(operation_id="payment_settings_get", responses=PaymentSettingsOutput)
    def get(self, request):
        return Response(PaymentSettingsOutput(selectors.payment_settings()).data)

    @extend_schema(
        operation_id="payment_settings_put",
        request=PaymentSettingsInput,
        responses=PaymentSettingsOutput,
        description="Change the payment set-up; a field left out keeps its value. "
        "`accounts`: `{provider, api_key}` stores the key encrypted (an empty key keeps the "
        "stored one), `{provider, remove: true}` removes the account (409 `provider_in_use` "
        "while its refunds are unpaid). `default_provider` is `manual` or a provider with "
        "an account (422 `provider_not_configured`). A malformed key is 422 "
        "`invalid_api_key`. One refusal saves nothing.",
    )
    def put(self, request):
        payload = PaymentSettingsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        payment_settings_update(
            actor=self.actor,
            accounts=data.get("accounts"),
            default_provider=data.get("default_provider"),
            credit_settings={name: data[name] for name in CREDIT_SETTING_FIELDS if name in data},
        )
        return Response(PaymentSettingsOutput(selectors.payment_settings()).data)


class PaymentConnectionTestApi(TenantAPIView):
    api_scope = ApiScope.SETTINGS

    @extend_schema(
        operation_id="payment_settings_test",
        request=ConnectionTestInput,
        responses=ConnectionTestOutput,
        description="Call the provider with the stored key (or the `api_key` given, which "
        "is not stored) and report whether it works. 422 `provider_refused_key`, "
        "`provider_not_configured`, `invalid_api_key`; 502 `provider_unavailable`.",
    )
    def post(self, request):
        payload = ConnectionTestInput(data=request.data)
        payload.is_valid(raise_exception=True)
        provider = payload.validated_data["provider"]
        result = payment_connection_test(
            provider=provider, api_key=payload.validated_data.get("api_key", "")
        )
        return Response(
            ConnectionTestOutput(
                {"provider": provider, "ok": True, "mode": result.mode, "detail": result.detail}
            ).data
        )
