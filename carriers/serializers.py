"""API shapes of carrier accounts. Credentials go in, never out."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from carriers.models import CarrierAccount
from carriers.parcels import parcel_types_normalise
from carriers.services import ACCOUNT_FIELDS
from carriers.statuses import Carrier
from returns.statuses import ReturnMethod
from returns_platform.api import StrictSerializer
from returns_platform.api_fields import StrictIntegerField
from returns_platform.money import validate_country

CREDENTIAL_FIELDS = {
    Carrier.SENDCLOUD: ("public_key", "secret_key", "service_point_carriers"),
    Carrier.DHL_PARCEL_DE: (
        "username",
        "password",
        "client_id",
        "client_secret",
        "return_billing_number",
        "receiver_id",
    ),
    Carrier.DPD: ("delis_id", "password", "depot", "account_country"),
    Carrier.GLS: ("client_id", "client_secret", "contact_id"),
}


class CountryField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=2, min_length=2, validators=[validate_country], **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


class ParcelTypeInput(StrictSerializer):
    code = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    max_kg = serializers.DecimalField(
        max_digits=7, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal("1000")
    )
    price = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        default=None,
    )


class CarrierAccountInput(StrictSerializer):
    carrier = serializers.ChoiceField(choices=Carrier.choices)
    active = serializers.BooleanField(default=True)
    countries = serializers.ListField(child=CountryField(), default=list, max_length=60)
    methods = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[ReturnMethod.DROP_OFF, ReturnMethod.QR_DROP_OFF, ReturnMethod.PICKUP]
        ),
        default=list,
    )
    service_code = serializers.CharField(max_length=100, required=False, allow_blank=True)
    return_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    return_street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    return_house_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    return_postcode = serializers.CharField(max_length=20, required=False, allow_blank=True)
    return_city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    return_country = CountryField(required=False, allow_blank=True)
    pickup_categories = serializers.ListField(
        child=serializers.CharField(max_length=100), default=list, max_length=100
    )
    pickup_min_weight_kg = serializers.DecimalField(
        max_digits=7,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal("1000"),
        required=False,
        allow_null=True,
    )
    parcel_types = ParcelTypeInput(many=True, required=False, max_length=20)
    default_item_weight_grams = StrictIntegerField(min_value=1, max_value=1_000_000, required=False)
    credentials = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False
    )

    def validate(self, attrs):
        allowed = set(CREDENTIAL_FIELDS[attrs["carrier"]])
        unknown = sorted(set(attrs.get("credentials") or {}) - allowed)
        if unknown:
            raise serializers.ValidationError(
                {"credentials": [f"Unknown credential {name!r}." for name in unknown]},
                code="unknown_field",
            )
        if "parcel_types" in attrs:
            try:
                attrs["parcel_types"] = parcel_types_normalise(attrs["parcel_types"])
            except ValueError as error:
                raise serializers.ValidationError(
                    {"parcel_types": [str(error)]}, code="duplicate"
                ) from error
        return attrs


class CarrierSettingsInput(StrictSerializer):
    accounts = CarrierAccountInput(many=True)

    def validate_accounts(self, accounts):
        carriers = [account["carrier"] for account in accounts]
        if len(carriers) != len(set(carriers)):
            raise serializers.ValidationError("Each carrier may appear once.", code="duplicate")
        return accounts


class CarrierAccountOutput(serializers.ModelSerializer):
    credentials_set = serializers.SerializerMethodField()

    class Meta:
        model = CarrierAccount
        fields = ["carrier", *ACCOUNT_FIELDS, "credentials_set", "updated_at"]

    def get_credentials_set(self, account) -> list[str]:
        """Which credentials are stored (their values are never shown)."""
        return sorted(key for key, value in (account.credentials or {}).items() if value)


class CarrierSettingsOutput(serializers.Serializer):
    accounts = CarrierAccountOutput(many=True)
