"""Return policy, reasons, requests, their lines and attachments."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from returns import predicates
from returns.statuses import (
    CaseType,
    Condition,
    DecisionKind,
    Disposition,
    Resolution,
    ReturnMethod,
    ReturnStatus,
)
from returns_platform import constraints
from returns_platform.money_fields import AmountColumn
from returns_platform.tenancy import TenantOwnedModel

ACCESS_TOKEN_SALT = "returns.status-page"
# Status-page tokens signed by this process, by (secret, shop, RMA): a token stays valid
# (it is read without a maximum age), so signing it again for every API read or page is
# wasted work, and reusing it keeps the return document and its ETag the same.
_ACCESS_TOKENS: dict[tuple[str, int, str], str] = {}
_ACCESS_TOKENS_MAX = 20_000


def access_token_for(tenant_id: int, rma: str) -> str:
    """The status page's signed token of the shop's return ``rma``.

    Signed once per process and shop and RMA (see ``_ACCESS_TOKENS``)."""
    key = (settings.SECRET_KEY, tenant_id, rma)
    token = _ACCESS_TOKENS.get(key)
    if token is None:
        if len(_ACCESS_TOKENS) >= _ACCESS_TOKENS_MAX:
            _ACCESS_TOKENS.clear()
        token = signing.dumps({"t": tenant_id, "r": rma}, salt=ACCESS_TOKEN_SALT)
        _ACCESS_TOKENS[key] = token
    return token


MIN_WITHDRAWAL_DAYS = 14


def default_methods() -> dict:
    return {
        ReturnMethod.DROP_OFF: {"default": "4.95"},
        ReturnMethod.QR_DROP_OFF: {"default": "4.95"},
        ReturnMethod.PICKUP: {"default": "7.95"},
        ReturnMethod.IN_STORE: {"default": "0.00"},
        ReturnMethod.OWN_SHIPPING: {"default": "0.00"},
    }


def default_resolutions() -> list:
    return [Resolution.REFUND, Resolution.STORE_CREDIT, Resolution.EXCHANGE]


class ReturnPolicy(TenantOwnedModel):
    """A shop's return rules. Requests keep a snapshot, so edits never change old cases."""

    window_days_return = models.PositiveIntegerField(
        default=MIN_WITHDRAWAL_DAYS, validators=[MinValueValidator(MIN_WITHDRAWAL_DAYS)]
    )
    window_days_complaint = models.PositiveIntegerField(default=730)
    window_days_missing_item = models.PositiveIntegerField(default=30)
    # ISO 3166-1 alpha-2 codes; an empty allow-list allows every country.
    allowed_countries = models.JSONField(default=list, blank=True)
    blocked_countries = models.JSONField(default=list, blank=True)
    non_returnable_skus = models.JSONField(default=list, blank=True)
    non_returnable_categories = models.JSONField(default=list, blank=True)
    # {"drop_off": {"default": "4.95", "BE": "5.95"}, ...}: offered methods, cost per country.
    methods = models.JSONField(default=default_methods)
    resolutions = models.JSONField(default=default_resolutions)
    store_credit_bonus_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    free_return_for_exchange = models.BooleanField(default=True)
    auto_approve = models.BooleanField(default=False)
    repeat_returner_threshold = models.PositiveIntegerField(
        default=3, help_text="Warn staff from this many requests in 90 days by one e-mail."
    )
    high_value_threshold = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("250.00")
    )
    # {"opened": "10", "damaged": "50"}: percent deducted from a line received in that
    # condition; it pre-fills the accepted amount at the receipt.
    condition_deductions = models.JSONField(default=dict, blank=True)
    # {"EUR": "15.00"}: a request whose refund is at or below it may keep the goods.
    keep_item_below = models.JSONField(default=dict, blank=True)
    keep_item_excluded_categories = models.JSONField(default=list, blank=True)
    # Business customers have no statutory withdrawal right; 0 refuses their returns,
    # more grants them this window of the shop's own.
    window_days_business = models.PositiveIntegerField(default=0)
    # Shown with a rejected complaint: the shop's legal basis for rejecting.
    rejection_legal_basis = models.TextField(blank=True)
    # Ship an exchange's replacement when the return is approved, not when it arrives.
    exchange_ships_first = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="returnpolicy_one_per_tenant")
        ]
        verbose_name_plural = "return policies"

    def __str__(self) -> str:
        return f"Return policy of tenant {self.tenant_id}"

    def window_days(self, case_type: str) -> int:
        return {
            CaseType.RETURN: self.window_days_return,
            CaseType.COMPLAINT: self.window_days_complaint,
            CaseType.MISSING_ITEM: self.window_days_missing_item,
        }[case_type]

    def snapshot(self) -> dict:
        """The policy as plain JSON, stored on every request it judges."""
        return {
            "window_days": {
                CaseType.RETURN.value: self.window_days_return,
                CaseType.COMPLAINT.value: self.window_days_complaint,
                CaseType.MISSING_ITEM.value: self.window_days_missing_item,
            },
            "allowed_countries": sorted(self.allowed_countries or []),
            "blocked_countries": sorted(self.blocked_countries or []),
            "non_returnable_skus": sorted(self.non_returnable_skus or []),
            "non_returnable_categories": sorted(self.non_returnable_categories or []),
            "methods": {
                str(method): {str(k): str(v) for k, v in costs.items()}
                for method, costs in (self.methods or {}).items()
            },
            "resolutions": [str(r) for r in self.resolutions or []],
            "store_credit_bonus_percent": str(self.store_credit_bonus_percent),
            "free_return_for_exchange": self.free_return_for_exchange,
            "auto_approve": self.auto_approve,
            "repeat_returner_threshold": self.repeat_returner_threshold,
            "high_value_threshold": str(self.high_value_threshold),
            "condition_deductions": {
                str(k): str(v) for k, v in sorted((self.condition_deductions or {}).items())
            },
            "keep_item_below": {
                str(k): str(v) for k, v in sorted((self.keep_item_below or {}).items())
            },
            "keep_item_excluded_categories": sorted(self.keep_item_excluded_categories or []),
            "window_days_business": self.window_days_business,
            "rejection_legal_basis": self.rejection_legal_basis,
            "exchange_ships_first": self.exchange_ships_first,
        }


class ReturnReason(TenantOwnedModel):
    code = models.SlugField(max_length=50, db_index=False)
    label_en = models.CharField(max_length=200)
    label_nl = models.CharField(max_length=200, blank=True)
    label_de = models.CharField(max_length=200, blank=True)
    label_pl = models.CharField(max_length=200, blank=True)
    label_sv = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="returnreason_unique_code")
        ]

    def __str__(self) -> str:
        return self.code

    def label(self, language: str = "en") -> str:
        return getattr(self, f"label_{language}", "") or self.label_en


def label_path(instance: ReturnRequest, filename: str) -> str:
    """Labels get random names too: the RMA alone must not find a customer's address."""
    return random_stored_name("labels", instance.tenant_id, filename)


class ReturnRequest(TenantOwnedModel):
    rma = models.CharField(max_length=20)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="return_requests", db_index=False
    )
    case_type = models.CharField(max_length=16, choices=CaseType.choices)
    # Changed only by returns.workflow (return_move).
    status = models.CharField(
        max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    resolution = models.CharField(max_length=16, choices=Resolution.choices)
    method = models.CharField(max_length=16, choices=ReturnMethod.choices)
    is_free_return = models.BooleanField(default=False)
    return_cost = AmountColumn(max_digits=13, default=Decimal("0"))
    refund_total = AmountColumn(max_digits=15, default=Decimal("0"))
    refund_preview = models.JSONField(default=dict)
    currency = models.CharField(max_length=3)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    channel = models.ForeignKey(
        "tenants.SalesChannel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    language = models.CharField(max_length=8, default="en")
    email = models.EmailField()
    warnings = models.JSONField(default=list)
    verdicts = models.JSONField(default=list)
    policy_snapshot = models.JSONField(default=dict)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The return label (returns/labels.py), rendered by a task after the request is stored.
    label_pdf = models.FileField(upload_to=label_path, max_length=200, blank=True)
    label_pdf_a4 = models.FileField(upload_to=label_path, max_length=200, blank=True)
    label_ready_at = models.DateTimeField(null=True, blank=True)
    # The customer keeps the goods: no label, no parcel, no receipt; paid on approval.
    keep_item = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "rma"], name="returnrequest_unique_rma"),
            constraints.currency_code("returnrequest_currency_code"),
            constraints.not_negative("returnrequest_return_cost_not_negative", "return_cost"),
            constraints.not_negative("returnrequest_refund_total_not_negative", "refund_total"),
        ]
        indexes = [
            # The API's pages, read backwards (ascending as ids are given: see order_page).
            models.Index(fields=["tenant", "id"], name="return_page"),
            models.Index(fields=["tenant", "status", "id"], name="return_status"),
            models.Index(fields=["tenant", "order"], name="return_order"),
            models.Index(fields=["tenant", "email", "created_at"], name="return_email"),
            models.Index(fields=["tenant", "assignee"], name="return_assignee"),
            models.Index(fields=["tenant", "held_by"], name="return_held_by"),
            models.Index(fields=["tenant", "channel"], name="return_channel"),
            models.Index(fields=["tenant", "created_at"], name="return_created"),
        ]

    def __str__(self) -> str:
        return self.rma

    # The domain's rules about one request (returns.predicates), for templates and views.
    @property
    def needs_parcel(self) -> bool:
        return predicates.needs_parcel(self)

    @property
    def needs_label(self) -> bool:
        return predicates.needs_label(self)

    @property
    def takes_decision(self) -> bool:
        return predicates.case_takes_decision(self.case_type)

    @property
    def is_final(self) -> bool:
        return predicates.is_final(self)

    @property
    def can_withdraw(self) -> bool:
        return predicates.can_withdraw(self)

    @property
    def needs_photo(self) -> bool:
        return predicates.case_needs_photo(self.case_type)

    def access_token(self) -> str:
        """Signed token for the consumer's status page (no login, no guessable id)."""
        return access_token_for(self.tenant_id, self.rma)

    @staticmethod
    def read_access_token(token: str, *, max_age: int | None = None) -> tuple[int, str] | None:
        """(tenant id, rma) from a token, or None when it is forged or too old."""
        try:
            data = signing.loads(token, salt=ACCESS_TOKEN_SALT, max_age=max_age)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or "t" not in data or "r" not in data:
            return None
        return int(data["t"]), str(data["r"])


class ReturnLine(TenantOwnedModel):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    # PROTECT: an order upsert must not remove a line a return refers to (orders -> 409).
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="return_lines", db_index=False
    )
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    reason = models.ForeignKey(
        ReturnReason, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    comment = models.TextField(blank=True)
    # What is returned as the order said when the request was made (the request's
    # ``currency`` is the currency): credit notes, refunds, vouchers and exchange orders
    # read these, so a later change to the order line cannot change the return's money.
    sku = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=300, blank=True)
    unit_price = AmountColumn(max_digits=13)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    received_quantity = models.PositiveIntegerField(null=True, blank=True)
    condition = models.CharField(max_length=16, choices=Condition.choices, blank=True)
    disposition = models.CharField(max_length=16, choices=Disposition.choices, blank=True)
    accepted_amount = AmountColumn(max_digits=13, null=True, blank=True)
    # Why staff accepted another amount than the policy's deduction suggests.
    accepted_reason = models.CharField(max_length=300, blank=True)
    # The replacement the customer chose for an exchange (one of the order line's variants).
    exchange_sku = models.CharField(max_length=100, blank=True)
    exchange_name = models.CharField(max_length=300, blank=True)
    exchange_unit_price = AmountColumn(max_digits=13, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            constraints.positive("returnline_quantity_positive", "quantity"),
            constraints.percentage("returnline_tax_rate_percentage", "tax_rate"),
            constraints.not_negative("returnline_unit_price_not_negative", "unit_price"),
            # Never more units received than returned, never more accepted than they cost.
            constraints.at_most(
                "returnline_received_within_quantity", "received_quantity", models.F("quantity")
            ),
            constraints.not_negative(
                "returnline_accepted_amount_not_negative", "accepted_amount", nullable=True
            ),
            constraints.at_most(
                "returnline_accepted_within_paid",
                "accepted_amount",
                models.F("unit_price") * models.F("received_quantity"),
                money=True,
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "request"], name="returnline_request"),
            models.Index(fields=["tenant", "order_line"], name="returnline_order_line"),
            models.Index(fields=["tenant", "reason"], name="returnline_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x line {self.order_line_id}"


def random_stored_name(folder: str, tenant_id: int, filename: str) -> str:
    """A random stored name: uploads never choose their path or reveal the original name."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{folder}/{tenant_id}/{secrets.token_urlsafe(24)}{suffix}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return random_stored_name("returns", instance.tenant_id, filename)


class Attachment(TenantOwnedModel):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="attachments", db_index=False
    )
    line = models.ForeignKey(
        ReturnLine,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        db_index=False,
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["tenant", "request"], name="attachment_request"),
            models.Index(fields=["tenant", "line"], name="attachment_line"),
        ]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class ReturnDecision(TenantOwnedModel):
    """What a complaint (warranty case) ends in: one recorded decision with its reason."""

    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="decisions", db_index=False
    )
    decision = models.CharField(max_length=16, choices=DecisionKind.choices)
    reason = models.TextField()
    legal_basis = models.TextField(blank=True)
    decided_by = models.CharField(max_length=250, help_text="kind:id label")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "request"], name="returndecision_one")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.decision}"


class FeedbackRequest(TenantOwnedModel):
    """The one feedback mail a completed return gets (the unique row makes it once)."""

    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "request"], name="feedbackrequest_once")
        ]


class Feedback(TenantOwnedModel):
    """The customer's answer about one return: a 1-5 rating and a comment."""

    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True, max_length=2000)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "request"], name="feedback_one_per_return"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "created_at"], name="feedback_created")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.rating}"
