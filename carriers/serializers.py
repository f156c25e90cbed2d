"""API shapes of carrier accounts. Credentials go in, never out."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from carriers.models import CarrierAccount
from carriers.parcels import parcel_types_normalise
from carriers.services import ACCOUNT_FIELDS
from carriers.statuses import Carrier
from returns.statuses import ReturnMethod
from returns_platform.api import StrictSerializer, rule_codes
from returns_platform.api_fields import AmountField, StrictIntegerField
from returns_platform.money import COUNTRY_CHOICES, COUNTRY_CODES, UNKNOWN_COUNTRY

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


# The codes a carrier account takes (one enum, CountryAnyCaseEnum, in the OpenAPI schema).
COUNTRY_ANY_CASE = [*COUNTRY_CHOICES, *(code.lower() for code in COUNTRY_CHOICES)]


class CountryField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code in capitals or in small letters (read in capitals)."""

    default_error_messages = {"invalid_country": UNKNOWN_COUNTRY}

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if text.upper() not in COUNTRY_CODES or text not in (text.upper(), text.lower()):
            self.fail("invalid_country", value=text)
        return text.upper()


class CountryFieldSchema(OpenApiSerializerFieldExtension):
    """The codes a ``CountryField`` takes, in both cases ("" too where it may be blank)."""

    target_class = CountryField

    def map_serializer_field(self, auto_schema, direction):
        codes = COUNTRY_ANY_CASE
        return {"type": "string", "enum": [*codes, ""] if self.target.allow_blank else codes}


ALL_CREDENTIALS = sorted({name for names in CREDENTIAL_FIELDS.values() for name in names})
# Which credentials a carrier takes is a rule across fields (the carrier and its keys).
rule_codes("credential_of_another_carrier")


class CredentialsField(serializers.DictField):
    """A carrier's credentials by name; a name no carrier has is refused (unknown_field)."""

    child = serializers.CharField(max_length=500, allow_blank=True)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        unknown = sorted(set(values) - set(ALL_CREDENTIALS))
        if unknown:
            raise serializers.ValidationError(
                [f"Unknown credential {name!r}." for name in unknown], code="unknown_field"
            )
        return values


class CredentialsFieldSchema(OpenApiSerializerFieldExtension):
    target_class = CredentialsField

    def map_serializer_field(self, auto_schema, direction):
        value = auto_schema._map_serializer_field(self.target.child, direction)
        return {
            "type": "object",
            "description": "By carrier: "
            + "; ".join(
                f"{carrier}: {', '.join(names)}" for carrier, names in CREDENTIAL_FIELDS.items()
            )
            + ". Another carrier's name is 422 `credential_of_another_carrier`.",
            "properties": dict.fromkeys(ALL_CREDENTIALS, value),
            "additionalProperties": False,
        }


class ParcelTypeInput(StrictSerializer):
    code = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    max_kg = AmountField(
        max_digits=7, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal("1000")
    )
    price = AmountField(
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
    pickup_min_weight_kg = AmountField(
        max_digits=7,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal("1000"),
        required=False,
        allow_null=True,
    )
    parcel_types = ParcelTypeInput(many=True, required=False, max_length=20)
    default_item_weight_grams = StrictIntegerField(min_value=1, max_value=1_000_000, required=False)
    credentials = CredentialsField(required=False)

    def validate(self, attrs):
        allowed = set(CREDENTIAL_FIELDS[attrs["carrier"]])
        other = sorted(set(attrs.get("credentials") or {}) - allowed)
        if other:
            # A credential of another carrier: the schema lists every carrier's names.
            raise serializers.ValidationError(
                {
                    "credentials": [
                        f"{attrs['carrier']} has no credential {name!r}." for name in other
                    ]
                },
                code="credential_of_another_carrier",
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
