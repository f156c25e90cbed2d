"""Daily aggregate rows of one shop: what the analytics page and API read.

Each table holds one row per day and combination of the dimensions the page filters by
(sales channel code, shipping country, product category, SKU, case type, reason,
resolution). Rows are derived data: ``analytics.aggregation`` rewrites a shop's day from
the source tables whenever a domain event touches it, and ``manage.py rebuild_analytics``
rewrites every day. Nothing else writes them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from returns_platform.money_fields import AmountColumn
from returns_platform.tenancy import TenantOwnedModel

# Three decimal places: the most any currency has (BHD, KWD, OMR).
AMOUNT = {"max_digits": 17, "decimal_places": 3, "default": Decimal("0")}


class OrderDay(TenantOwnedModel):
    """Orders placed on ``day`` (not cancelled), per channel and shipping country."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    orders = models.PositiveIntegerField(default=0)
    units_sold = models.PositiveIntegerField(default=0)
    revenue = AmountColumn(**AMOUNT)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="orderday_day")]


class SalesDay(TenantOwnedModel):
    """Units sold on ``day`` per SKU (with its category), channel and country.

    ``orders`` counts the orders holding the SKU, so summing it over several SKUs counts
    an order once per SKU it holds.
    """

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    category = models.CharField(max_length=100, blank=True)
    sku = models.CharField(max_length=100)
    name = models.CharField(max_length=300, blank=True)
    orders = models.PositiveIntegerField(default=0)
    units_sold = models.PositiveIntegerField(default=0)
    revenue = AmountColumn(**AMOUNT)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="salesday_day")]


class ReturnLineDay(TenantOwnedModel):
    """Units asked back on ``day`` (the request's date) per SKU, reason and resolution."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    category = models.CharField(max_length=100, blank=True)
    sku = models.CharField(max_length=100)
    name = models.CharField(max_length=300, blank=True)
    case_type = models.CharField(max_length=16)
    reason = models.CharField(max_length=50)
    resolution = models.CharField(max_length=16)
    requests = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    units_returned = models.PositiveIntegerField(default=0)
    value = AmountColumn(**AMOUNT)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="returnlineday_day")]


class ReturnDay(TenantOwnedModel):
    """Requests made on ``day``, with what their resolution paid out or kept."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    case_type = models.CharField(max_length=16)
    resolution = models.CharField(max_length=16)
    returns = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    value = AmountColumn(**AMOUNT, help_text="Value of the lines asked back.")
    resolved = AmountColumn(**AMOUNT, help_text="Refunded or credited, bonus included.")
    refunded = AmountColumn(**AMOUNT)
    credited = AmountColumn(**AMOUNT)
    exchanged = AmountColumn(**AMOUNT, help_text="Value of the lines exchanged.")
    return_costs = AmountColumn(**AMOUNT)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="returnday_day")]


class Milestone(models.TextChoices):
    APPROVAL = "approval", "approval"
    RECEIPT = "receipt", "receipt"
    INSPECTION = "inspection", "inspection"
    REFUND = "refund", "refund"


class DurationDay(TenantOwnedModel):
    """How many requests of ``day`` reached ``milestone`` after ``hours`` whole hours.

    A histogram, so medians and percentiles of any period are exact to the hour.
    """

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    case_type = models.CharField(max_length=16)
    milestone = models.CharField(max_length=16, choices=Milestone.choices)
    hours = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="durationday_day")]


class TransitDay(TenantOwnedModel):
    """How many parcels of requests made on ``day`` took ``hours`` whole hours with
    ``carrier``: from its first scan (the label, when it reported no scan before delivery)
    to delivery at the warehouse. A histogram, as ``DurationDay``."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    case_type = models.CharField(max_length=16)
    carrier = models.CharField(max_length=20)
    hours = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="transitday_day")]


class VoucherDay(TenantOwnedModel):
    """Store credit issued and redeemed on ``day`` (the voucher ledger's entries)."""

    day = models.DateField()
    currency = models.CharField(max_length=3)
    issued = AmountColumn(**AMOUNT)
    redeemed = AmountColumn(**AMOUNT)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="voucherday_day")]


class Scope(models.TextChoices):
    """Which product filter a per-request row answers (each request once per filter).

    A request holds several lines: for the filter "category X" it counts once if any line
    is of category X, so it has one ``category`` row per distinct category of its lines;
    likewise one ``sku`` row per distinct SKU and one ``pair`` row per distinct (category,
    SKU), and one ``all`` row for no product filter.
    """

    ALL = "all", "all"
    CATEGORY = "category", "category"
    SKU = "sku", "sku"
    PAIR = "pair", "pair"


class ReturnerDay(TenantOwnedModel):
    """A customer's requests of ``day`` and the units they asked back (every line)."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    case_type = models.CharField(max_length=16)
    scope = models.CharField(max_length=8, choices=Scope.choices)
    category = models.CharField(max_length=100, blank=True)
    sku = models.CharField(max_length=100, blank=True)
    email = models.EmailField()
    returns = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="returnerday_day")]


class FeedbackEntry(TenantOwnedModel):
    """One customer's answer to a request of ``day``: its rating, and whether it has a
    comment (the comments themselves are read from the answers listed)."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    case_type = models.CharField(max_length=16)
    scope = models.CharField(max_length=8, choices=Scope.choices)
    category = models.CharField(max_length=100, blank=True)
    sku = models.CharField(max_length=100, blank=True)
    feedback_id = models.BigIntegerField()
    rating = models.PositiveSmallIntegerField()
    has_comment = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="feedbackentry_day")]


class ReasonComment(TenantOwnedModel):
    """A returned line of a request of ``day`` with the customer's comment on its reason."""

    day = models.DateField()
    channel = models.CharField(max_length=50, blank=True)
    country = models.CharField(max_length=2, blank=True)
    case_type = models.CharField(max_length=16)
    category = models.CharField(max_length=100, blank=True)
    sku = models.CharField(max_length=100)
    reason = models.CharField(max_length=50)
    line_id = models.BigIntegerField()
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["tenant", "day"], name="reasoncomment_day")]


class AnalyticsSettings(TenantOwnedModel):
    """A shop's yardsticks for the analytics page."""

    target_days = models.PositiveIntegerField(
        default=14, help_text="Days from request to refund the shop aims for."
    )
    repeat_rate_percent = models.PositiveIntegerField(
        default=50, help_text="Customers returning this share of their units or more."
    )
    repeat_min_returns = models.PositiveIntegerField(default=2)
    min_units_sold = models.PositiveIntegerField(
        default=10, help_text="SKUs sold fewer times are left out of the SKU ranking."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="analyticssettings_one_per_tenant")
        ]
