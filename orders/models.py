"""Customers, orders and their lines, and the shop events recorded on orders."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from orders.statuses import OrderEventType, OrderKind, OrderStatus
from returns_platform import constraints
from returns_platform.money import validate_country, validate_currency
from returns_platform.money_fields import AmountColumn
from returns_platform.tenancy import TenantOwnedModel


class Customer(TenantOwnedModel):
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "email"], name="customer_unique_email")
        ]

    def __str__(self) -> str:
        return self.name or self.email


class Order(TenantOwnedModel):
    number = models.CharField(max_length=64)
    channel = models.ForeignKey(
        "tenants.SalesChannel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    email = models.EmailField()
    language = models.CharField(max_length=8, default="en")
    currency = models.CharField(max_length=3, validators=[validate_currency])
    status = models.CharField(
        max_length=16, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    shipping_name = models.CharField(max_length=200, blank=True)
    shipping_street = models.CharField(max_length=200, blank=True)
    shipping_postcode = models.CharField(max_length=20)
    shipping_city = models.CharField(max_length=100, blank=True)
    shipping_country = models.CharField(max_length=2, validators=[validate_country])
    # Postcode without spaces, upper case: what the portal compares a typed postcode with.
    postcode_normalized = models.CharField(max_length=20, editable=False)
    placed_at = models.DateTimeField()
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    expected_delivery_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(max_length=50, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    invoice_number = models.CharField(max_length=64, blank=True)
    delivery_cost = AmountColumn(
        max_digits=13,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    total = AmountColumn(max_digits=15, default=Decimal("0"))
    # A business customer (B2B): no statutory withdrawal right.
    company = models.CharField(max_length=200, blank=True)
    vat_id = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=16, choices=OrderKind.choices, default=OrderKind.SALE)
    # An exchange order: the RMA it replaces goods for, and the link the customer pays a
    # price difference with (filled in by the shop).
    exchange_for = models.CharField(max_length=20, blank=True)
    payment_link = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="order_unique_number"),
            # One exchange order per return, whoever completes it first.
            models.UniqueConstraint(
                fields=["tenant", "exchange_for"],
                condition=models.Q(kind="exchange"),
                name="order_one_exchange_per_return",
            ),
            constraints.currency_code("order_currency_code"),
            constraints.not_negative("order_delivery_cost_not_negative", "delivery_cost"),
            constraints.not_negative("order_total_not_negative", "total"),
        ]
        indexes = [
            # The API's pages: newest first within the shop (cursor on id), read backwards.
            # Ascending, as ids are given: a descending index fills its pages half (every
            # new id splits the leftmost page), and grown that much it cost more to read
            # than the status index and a sort of the shop's whole list.
            models.Index(fields=["tenant", "id"], name="order_page"),
            models.Index(fields=["tenant", "updated_at"], name="order_updated"),
            models.Index(fields=["tenant", "email"], name="order_email"),
            models.Index(fields=["tenant", "tracking_number"], name="order_tracking"),
            models.Index(fields=["tenant", "status", "id"], name="order_status"),
            models.Index(fields=["tenant", "customer"], name="order_customer"),
            models.Index(fields=["tenant", "channel"], name="order_channel"),
            models.Index(fields=["tenant", "placed_at"], name="order_placed"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_business(self) -> bool:
        """Bought by a business (a company or VAT number given): no statutory withdrawal."""
        return bool(self.company or self.vat_id)


class OrderLine(TenantOwnedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", db_index=False)
    position = models.PositiveIntegerField()
    sku = models.CharField(max_length=100)
    name = models.CharField(max_length=300)
    category = models.CharField(max_length=100, blank=True)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    unit_price = AmountColumn(
        max_digits=13,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Price paid per unit, after discounts, tax included.",
    )
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    returnable = models.BooleanField(default=True)
    image_url = models.URLField(max_length=500, blank=True)
    # Alternatives offered for an exchange: [{"sku", "name", "unit_price", "available"}].
    variants = models.JSONField(default=list, blank=True)
    # Weight of one unit: returns add these up to choose the parcel (carriers/parcels.py).
    weight_grams = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "order", "position"], name="orderline_unique_position"
            ),
            constraints.positive("orderline_quantity_positive", "quantity"),
            constraints.not_negative("orderline_unit_price_not_negative", "unit_price"),
            constraints.percentage("orderline_tax_rate_percentage", "tax_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderEvent(TenantOwnedModel):
    """A shop event on an order (shipped, delayed, delivered, cancelled).

    Kept so that the notifications sent for it can be built and re-sent from it.
    """

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    type = models.CharField(max_length=16, choices=OrderEventType.choices)
    occurred_at = models.DateTimeField()
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["tenant", "order", "occurred_at"], name="orderevent_order")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.type}"
