"""Input and output shapes of the orders API (validation only; no business rules)."""

from decimal import Decimal

from django.conf import settings
from rest_framework import serializers

from orders.models import Order, OrderEvent, OrderLine
from orders.statuses import OrderEventType, OrderStatus
from returns_platform.api import StrictSerializer, rule_codes
from returns_platform.api_fields import (
    AmountField,
    AmountOutputField,
    AwareDateTimeField,
    StrictIntegerField,
    WebUrlField,
)
from returns_platform.money import COUNTRY_CHOICES, CURRENCY_CODES, minor_units, quantize

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
# An amount's decimals depend on the order's currency: a rule across fields (422).
rule_codes("invalid_precision")
# Up to three decimals (BHD, KWD, OMR); OrderInput.validate holds each amount to its
# currency's minor units (422 invalid_precision).
MONEY_FIELD = {"max_digits": 13, "decimal_places": 3, "min_value": Decimal("0")}


class CustomerInput(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    # A business customer: no statutory withdrawal right (docs/returns.md).
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    vat_id = serializers.RegexField(
        r"^[A-Za-z]{2}[A-Za-z0-9+*.-]{2,30}$", max_length=32, required=False, allow_blank=True
    )


class VariantInput(StrictSerializer):
    """An alternative the customer may take in exchange for the line's item."""

    sku = serializers.CharField(max_length=100)
    name = serializers.CharField(max_length=300)
    unit_price = AmountField(**MONEY_FIELD)
    available = serializers.BooleanField(default=True)


class AddressInput(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.ChoiceField(
        choices=COUNTRY_CHOICES,
        error_messages={"invalid_choice": "{input} is not an ISO 3166-1 alpha-2 country code."},
    )

    def normalize_input(self, data: dict) -> dict:
        if isinstance(data.get("country"), str):
            return {**data, "country": data["country"].upper()}
        return data


class OrderLineInput(StrictSerializer):
    sku = serializers.CharField(max_length=100)
    name = serializers.CharField(max_length=300)
    category = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    quantity = StrictIntegerField(min_value=1, max_value=100_000)
    unit_price = AmountField(**MONEY_FIELD)
    tax_rate = AmountField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        default=Decimal("0"),
    )
    returnable = serializers.BooleanField(default=True)
    image_url = WebUrlField(max_length=500, required=False, allow_blank=True, default="")
    variants = VariantInput(many=True, required=False, max_length=100)
    weight_grams = StrictIntegerField(
        min_value=1,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        default=None,
        help_text="Weight of one unit in grams; returns add these up to choose the parcel.",
    )

    def validate(self, attrs):
        if "variants" in attrs:
            attrs["variants"] = [
                {**variant, "unit_price": str(variant["unit_price"])}
                for variant in attrs["variants"]
            ]
        return attrs


class OrderInput(StrictSerializer):
    number = serializers.RegexField(r"^[A-Za-z0-9._-]{1,64}$", max_length=64)
    channel = serializers.SlugField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, default="en")
    currency = serializers.ChoiceField(
        choices=sorted(CURRENCY_CODES),
        error_messages={"invalid_choice": "{input} is not an ISO 4217 currency code."},
    )
    customer = CustomerInput(required=False)
    shipping_address = AddressInput()
    placed_at = AwareDateTimeField()
    shipped_at = AwareDateTimeField(required=False, allow_null=True, default=None)
    delivered_at = AwareDateTimeField(required=False, allow_null=True, default=None)
    carrier = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    invoice_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    delivery_cost = AmountField(**MONEY_FIELD, default=Decimal("0"))
    lines = OrderLineInput(many=True, allow_empty=False, max_length=1000)
    # An exchange order's link for paying a price difference (the shop fills it in).
    payment_link = WebUrlField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs):
        currency = attrs["currency"]
        amounts = [("delivery_cost", attrs["delivery_cost"])] + [
            (f"lines[{index}].unit_price", line["unit_price"])
            for index, line in enumerate(attrs["lines"])
        ]
        for field, amount in amounts:
            if quantize(amount, currency) != amount:
                raise serializers.ValidationError(
                    {
                        field: serializers.ErrorDetail(
                            f"{currency} amounts have {minor_units(currency)} decimal places.",
                            code="invalid_precision",
                        )
                    }
                )
        address = attrs.pop("shipping_address")
        attrs.update(
            {
                "shipping_name": address.get("name", ""),
                "shipping_street": address.get("street", ""),
                "shipping_postcode": address["postcode"],
                "shipping_city": address.get("city", ""),
                "shipping_country": address["country"],
            }
        )
        attrs["email"] = attrs["email"].lower()
        customer = attrs.get("customer") or {}
        attrs["company"] = customer.get("company", "")
        attrs["vat_id"] = customer.get("vat_id", "").upper()
        return attrs


class OrderBulkInput(StrictSerializer):
    orders = OrderInput(many=True, allow_empty=False, max_length=settings.API_MAX_BULK_ORDERS)


class OrderEventInput(StrictSerializer):
    type = serializers.ChoiceField(choices=OrderEventType.choices)
    occurred_at = AwareDateTimeField(required=False, allow_null=True, default=None)
    tracking_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    carrier = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    expected_at = AwareDateTimeField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    refund = serializers.JSONField(
        required=False,
        allow_null=True,
        default=None,
        help_text='Cancellations only: the refund the shop made, {"amount", "reference"}, '
        'or "issue" for the platform to book a credit note and refund it.',
    )


class OrderListFilter(StrictSerializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    updated_since = serializers.DateTimeField(required=False)
    number = serializers.CharField(max_length=64, required=False)
    email = serializers.EmailField(required=False)
    cursor = serializers.CharField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200)


class OrderLineOutput(serializers.ModelSerializer):
    unit_price = AmountOutputField(currency="order.currency")

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "position",
            "sku",
            "name",
            "category",
            "quantity",
            "unit_price",
            "tax_rate",
            "returnable",
            "image_url",
            "variants",
        ]


class OrderOutput(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    customer = serializers.SerializerMethodField()
    shipping_address = serializers.SerializerMethodField()
    delivery_cost = AmountOutputField()
    total = AmountOutputField()
    lines = OrderLineOutput(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "number",
            "kind",
            "exchange_for",
            "payment_link",
            "channel",
            "status",
            "email",
            "language",
            "currency",
            "customer",
            "shipping_address",
            "placed_at",
            "shipped_at",
            "delivered_at",
            "expected_delivery_at",
            "cancelled_at",
            "carrier",
            "tracking_number",
            "invoice_number",
            "delivery_cost",
            "total",
            "lines",
            "created_at",
            "updated_at",
        ]

    def get_customer(self, order: Order) -> dict | None:
        if order.customer is None:
            return None
        return {
            "name": order.customer.name,
            "phone": order.customer.phone,
            "company": order.company,
            "vat_id": order.vat_id,
        }

    def get_shipping_address(self, order: Order) -> dict:
        return {
            "name": order.shipping_name,
            "street": order.shipping_street,
            "postcode": order.shipping_postcode,
            "city": order.shipping_city,
            "country": order.shipping_country,
        }


class OrderEventOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["id", "type", "occurred_at", "data", "created_at"]
