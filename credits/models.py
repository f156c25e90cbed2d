"""Credit notes, vouchers with their append-only ledger, refunds and provider accounts."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from credits.statuses import (
    CreditNoteReason,
    CreditNoteStatus,
    PayoutMethod,
    RefundProvider,
    RefundStatus,
    ResolutionOutcome,
    VoucherEntryKind,
    VoucherStatus,
)
from returns_platform import constraints
from returns_platform.money import validate_currency
from returns_platform.money_fields import AmountColumn
from returns_platform.secrets import EncryptedTextField
from returns_platform.tenancy import TenantOwnedModel

# Three decimal places: the most any currency has (BHD, KWD, OMR); an amount holds only
# its currency's minor units (returns_platform.money.quantize).
AMOUNT = {"max_digits": 15, "decimal_places": 3}


def stored_actor_label(stored: str) -> str:
    """Who did it, as staff read it: the e-mail, the API key's name, "System".

    Ledger lines and resolutions store their actor as ``kind:id label``; the id is for
    comparisons (four eyes), not for people.
    """
    kind, _colon, rest = stored.partition(":")
    if kind == "system" or not stored:
        return gettext("System")
    return rest.partition(" ")[2].strip() or rest.strip()


class CreditSettings(TenantOwnedModel):
    """Per-tenant credit settings (kept here so the credits app owns them)."""

    four_eyes_booking = models.BooleanField(
        default=False, help_text="A credit note must be booked by someone other than its author."
    )
    voucher_bonus_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Bonus added to a voucher chosen as payout of a credit note.",
    )
    voucher_validity_days = models.PositiveIntegerField(default=365)
    api_voucher_limit = AmountColumn(
        **AMOUNT,
        null=True,
        blank=True,
        default=Decimal("1000.00"),
        help_text="The largest voucher (amount plus bonus, in the voucher's currency) an API "
        "key may issue; empty: no limit. Staff are not limited by it.",
    )
    # With four-eyes booking on: only credit notes above these totals need a second
    # person ({"EUR": "250.00"}); a currency not listed always does.
    four_eyes_above = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="credit_settings_per_tenant"),
            constraints.not_negative(
                "credit_settings_api_voucher_limit_not_negative", "api_voucher_limit", nullable=True
            ),
            constraints.percentage("credit_settings_bonus_percentage", "voucher_bonus_percent"),
        ]


class PaymentProviderAccount(TenantOwnedModel):
    """A tenant's credentials at a payment provider; the key is a Fernet token at rest.

    ``is_default`` marks the provider refunds use when none is named (no default
    account: manual payouts). ``checked_at``/``check_ok`` keep the last "test connection".
    """

    provider = models.CharField(max_length=16, choices=RefundProvider.choices)
    api_key = EncryptedTextField()
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "provider"], name="provider_account_unique_provider"
            )
        ]

    def __str__(self) -> str:
        return self.provider


class Voucher(TenantOwnedModel):
    """Store credit. ``balance`` is the ledger's sum, changed only together with an entry."""

    code = models.CharField(max_length=32, help_text="Normalised: no dashes, upper case.")
    currency = models.CharField(max_length=3, validators=[validate_currency])
    amount = AmountColumn(**AMOUNT, help_text="The value issued, without the bonus.")
    bonus = AmountColumn(**AMOUNT, default=Decimal("0"))
    balance = AmountColumn(**AMOUNT, default=Decimal("0"))
    description = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField()
    expires_at = models.DateField(
        null=True, blank=True, help_text="First day the voucher is no longer valid."
    )
    status = models.CharField(
        max_length=8, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE
    )
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="voucher_unique_code"),
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="voucher_balance_not_negative"
            ),
            constraints.currency_code("voucher_currency_code"),
            constraints.positive("voucher_amount_positive", "amount"),
            constraints.not_negative("voucher_bonus_not_negative", "bonus"),
            # Redemptions and reversals move the balance within what was issued.
            constraints.at_most(
                "voucher_balance_within_issued",
                "balance",
                models.F("amount") + models.F("bonus"),
                money=True,
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "expires_at"], name="voucher_expiry"),
            models.Index(fields=["tenant", "order"], name="voucher_order"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_code(self) -> str:
        from credits.codes import format_code

        return format_code(self.code)


class VoucherEntry(TenantOwnedModel):
    """One append-only line of a voucher's ledger; its amount is signed."""

    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    kind = models.CharField(max_length=8, choices=VoucherEntryKind.choices)
    amount = AmountColumn(**AMOUNT)
    balance_after = AmountColumn(**AMOUNT)
    reference = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    actor = models.CharField(max_length=250, blank=True, help_text="kind:id label")
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "voucher", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="voucher_entry_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["tenant", "reverses"],
                condition=Q(reverses__isnull=False),
                name="voucher_entry_reversed_once",
            ),
            constraints.not_negative("voucher_entry_balance_not_negative", "balance_after"),
        ]
        indexes = [models.Index(fields=["tenant", "voucher", "id"], name="voucher_entry_ledger")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    @property
    def actor_label(self) -> str:
        return stored_actor_label(self.actor)


class CreditNote(TenantOwnedModel):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    return_rma = models.CharField(max_length=32, blank=True)
    reason = models.CharField(max_length=20, choices=CreditNoteReason.choices)
    description = models.CharField(max_length=500, blank=True)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    status = models.CharField(
        max_length=8, choices=CreditNoteStatus.choices, default=CreditNoteStatus.DRAFT
    )
    number = models.CharField(max_length=32, blank=True, help_text="Assigned at booking.")
    total = AmountColumn(**AMOUNT, default=Decimal("0"))
    tax_total = AmountColumn(**AMOUNT, default=Decimal("0"))
    invoice_reference = models.CharField(max_length=64, blank=True)
    payout_method = models.CharField(max_length=20, choices=PayoutMethod.choices)
    refund_provider = models.CharField(max_length=16, choices=RefundProvider.choices, blank=True)
    payment_reference = models.CharField(max_length=200, blank=True)
    gift_card_provider = models.CharField(max_length=100, blank=True)
    gift_card_reference = models.CharField(max_length=200, blank=True)
    bank_iban = models.CharField(max_length=34, blank=True)
    bank_account_holder = models.CharField(max_length=200, blank=True)
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    voucher_bonus = AmountColumn(
        **AMOUNT,
        null=True,
        blank=True,
        help_text="A voucher payout's bonus fixed when drafted (a return's policy); "
        "empty: the credit settings' percentage at booking.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_by_actor = models.CharField(max_length=80, help_text="The author: kind:id.")
    created_by_label = models.CharField(max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    booked_by_actor = models.CharField(max_length=80, blank=True)
    booked_by_label = models.CharField(max_length=200, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    document = models.FileField(upload_to="credit_notes/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number"],
                condition=~Q(number=""),
                name="credit_note_unique_number",
            ),
            constraints.currency_code("credit_note_currency_code"),
            constraints.not_negative("credit_note_total_not_negative", "total"),
            constraints.not_negative(
                "credit_note_voucher_bonus_not_negative", "voucher_bonus", nullable=True
            ),
            # A booked credit note always has its number (assigned in the same statement).
            models.CheckConstraint(
                condition=Q(status=CreditNoteStatus.DRAFT) | ~Q(number=""),
                name="credit_note_booked_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "order"], name="credit_note_order"),
            models.Index(fields=["tenant", "status", "id"], name="credit_note_status"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def is_booked(self) -> bool:
        return self.status == CreditNoteStatus.BOOKED


class CreditNoteLine(TenantOwnedModel):
    """A credited line: an order line or free text; amounts include tax."""

    credit_note = models.ForeignKey(
        CreditNote, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    position = models.PositiveIntegerField()
    order_line = models.ForeignKey(
        "orders.OrderLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    description = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    unit_amount = AmountColumn(**AMOUNT)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    total = AmountColumn(**AMOUNT)
    tax_amount = AmountColumn(**AMOUNT, default=Decimal("0"))

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "credit_note", "position"], name="credit_note_line_position"
            ),
            # Unit amounts may be negative (a return cost deducted); quantities never zero.
            constraints.positive("credit_note_line_quantity_positive", "quantity"),
            constraints.percentage("credit_note_line_tax_rate_percentage", "tax_rate"),
        ]
        indexes = [
            models.Index(fields=["tenant", "order_line"], name="credit_note_line_order_line")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.description}"


class Refund(TenantOwnedModel):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    credit_note = models.ForeignKey(
        CreditNote,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
        db_index=False,
    )
    amount = AmountColumn(**AMOUNT)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    provider = models.CharField(max_length=16, choices=RefundProvider.choices)
    payment_reference = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    provider_reference = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"], name="refund_unique_idempotency_key"
            ),
            constraints.currency_code("refund_currency_code"),
            constraints.positive("refund_amount_positive", "amount"),
        ]
        indexes = [
            models.Index(fields=["tenant", "order"], name="refund_order"),
            models.Index(fields=["tenant", "credit_note"], name="refund_credit_note"),
            models.Index(fields=["tenant", "status", "next_attempt_at"], name="refund_due"),
        ]

    def __str__(self) -> str:
        return f"refund {self.pk} {self.amount} {self.currency}"


class ReturnResolution(TenantOwnedModel):
    """What completing a return paid or asked for; at most one per return.

    The unique constraint is the idempotency guard of ``return_resolve``: a second run
    finds this row (under the return's row lock) and pays nothing.
    """

    return_request = models.ForeignKey(
        "returns.ReturnRequest", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    rma = models.CharField(max_length=32)
    resolution = models.CharField(max_length=16, help_text="The return's resolution.")
    outcome = models.CharField(max_length=16, choices=ResolutionOutcome.choices)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    amount = AmountColumn(**AMOUNT, default=Decimal("0"), help_text="Credited (note).")
    bonus = AmountColumn(**AMOUNT, default=Decimal("0"))
    calculation = models.JSONField(default=dict, help_text="The itemised calculation.")
    lines = models.JSONField(default=list, help_text="The accepted lines.")
    credit_note = models.ForeignKey(
        CreditNote,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # An exchange: the new order with the replacement goods, and what the replacement
    # costs more (> 0, asked for with the order's payment link) or less (< 0, refunded).
    exchange_order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    price_difference = AmountColumn(**AMOUNT, default=Decimal("0"))
    resolved_by = models.CharField(max_length=250, help_text="kind:id label")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "return_request"], name="return_resolution_once"
            ),
            constraints.currency_code("return_resolution_currency_code"),
            constraints.not_negative("return_resolution_amount_not_negative", "amount"),
            constraints.not_negative("return_resolution_bonus_not_negative", "bonus"),
        ]
        indexes = [
            models.Index(fields=["tenant", "rma"], name="return_resolution_rma"),
            models.Index(fields=["tenant", "exchange_order"], name="return_resolution_exchange"),
        ]

    def __str__(self) -> str:
        return f"{self.rma}: {self.outcome}"

    @property
    def resolved_by_label(self) -> str:
        return stored_actor_label(self.resolved_by)
