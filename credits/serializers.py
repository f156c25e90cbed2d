"""Input and output shapes of the credits API (validation only; no business rules)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credits.codes import format_code
from credits.models import (
    CreditNote,
    CreditNoteLine,
    Refund,
    ReturnResolution,
    Voucher,
    VoucherEntry,
)
from credits.statuses import (
    CreditNoteReason,
    CreditNoteStatus,
    PayoutMethod,
    RefundProvider,
    RefundStatus,
)
from returns_platform.api import StrictSerializer
from returns_platform.api_fields import (
    AMOUNT_SCHEMA,
    AmountField,
    AmountOutputField,
    StrictIntegerField,
)
from returns_platform.money import CURRENCY_CODES, amount_text

# Up to three decimals (BHD, KWD, OMR); the services hold each amount to its currency's
# minor units (422 invalid_precision).
MONEY = {"max_digits": 13, "decimal_places": 3}
TAX_RATE = {
    "max_digits": 5,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": Decimal("100"),
}


class PageFilter(StrictSerializer):
    cursor = serializers.CharField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200)


# --- Vouchers -------------------------------------------------------------------------


class VoucherInput(StrictSerializer):
    amount = AmountField(**MONEY)
    currency = serializers.ChoiceField(choices=sorted(CURRENCY_CODES))
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    expires_at = serializers.DateField(required=False, allow_null=True, default=None)
    bonus = AmountField(**MONEY, required=False, default=Decimal("0"))
    order = serializers.CharField(max_length=64, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class RedemptionInput(StrictSerializer):
    amount = AmountField(**MONEY)
    currency = serializers.ChoiceField(choices=sorted(CURRENCY_CODES), required=False)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReversalInput(StrictSerializer):
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class VoucherEntryOutput(serializers.ModelSerializer):
    reverses = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    amount = AmountOutputField(currency="voucher.currency")
    balance_after = AmountOutputField(currency="voucher.currency")

    class Meta:
        model = VoucherEntry
        fields = ["id", "kind", "amount", "balance_after", "reference", "reverses", "created_at"]


class VoucherOutput(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    order = serializers.SerializerMethodField()
    initial_amount = serializers.SerializerMethodField()
    amount = AmountOutputField()
    bonus = AmountOutputField()
    balance = AmountOutputField()

    class Meta:
        model = Voucher
        fields = [
            "code",
            "status",
            "currency",
            "amount",
            "bonus",
            "initial_amount",
            "balance",
            "description",
            "valid_from",
            "expires_at",
            "order",
            "created_at",
        ]

    def get_code(self, voucher: Voucher) -> str:
        return format_code(voucher.code)

    def get_order(self, voucher: Voucher) -> str | None:
        return voucher.order.number if voucher.order_id else None

    @extend_schema_field(AMOUNT_SCHEMA)
    def get_initial_amount(self, voucher: Voucher) -> str:
        return amount_text(voucher.amount + voucher.bonus, voucher.currency)


class RedemptionOutput(serializers.Serializer):
    balance = AmountOutputField()
    currency = serializers.CharField()
    entry = VoucherEntryOutput()


# --- Credit notes ---------------------------------------------------------------------


class PayoutInput(StrictSerializer):
    method = serializers.ChoiceField(choices=PayoutMethod.choices)
    provider = serializers.ChoiceField(
        choices=RefundProvider.choices, required=False, allow_blank=True, default=""
    )
    payment_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    gift_card_provider = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    gift_card_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    iban = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    account_holder = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class CreditNoteLineInput(StrictSerializer):
    order_line = StrictIntegerField(required=False, allow_null=True, min_value=1)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    quantity = StrictIntegerField(min_value=1, max_value=100_000, default=1)
    unit_amount = AmountField(**MONEY, required=False, allow_null=True)
    tax_rate = AmountField(**TAX_RATE, required=False, allow_null=True)


class CreditNoteInput(StrictSerializer):
    order = serializers.CharField(max_length=64)
    reason = serializers.ChoiceField(choices=CreditNoteReason.choices)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    amount = AmountField(**MONEY, required=False, allow_null=True, default=None)
    tax_rate = AmountField(**TAX_RATE, required=False, default=Decimal("0"))
    lines = CreditNoteLineInput(many=True, required=False, max_length=500)
    payout = PayoutInput()
    return_rma = serializers.CharField(max_length=32, required=False, allow_blank=True)


class CreditNoteUpdateInput(StrictSerializer):
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reason = serializers.ChoiceField(choices=CreditNoteReason.choices, required=False)
    payout = PayoutInput(required=False)


class CreditNoteListFilter(PageFilter):
    status = serializers.ChoiceField(choices=CreditNoteStatus.choices, required=False)
    order = serializers.CharField(max_length=64, required=False)


class CreditNoteLineOutput(serializers.ModelSerializer):
    unit_amount = AmountOutputField(currency="credit_note.currency")
    tax_amount = AmountOutputField(currency="credit_note.currency")
    total = AmountOutputField(currency="credit_note.currency")

    class Meta:
        model = CreditNoteLine
        fields = [
            "position",
            "order_line",
            "description",
            "quantity",
            "unit_amount",
            "tax_rate",
            "tax_amount",
            "total",
        ]


class CreditNoteOutput(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number")
    lines = CreditNoteLineOutput(many=True, read_only=True)
    payout = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by_label")
    booked_by = serializers.CharField(source="booked_by_label")
    document_url = serializers.SerializerMethodField()
    total = AmountOutputField()
    tax_total = AmountOutputField()

    class Meta:
        model = CreditNote
        fields = [
            "id",
            "number",
            "status",
            "order",
            "return_rma",
            "reason",
            "description",
            "currency",
            "total",
            "tax_total",
            "invoice_reference",
            "payout",
            "lines",
            "created_by",
            "booked_by",
            "booked_at",
            "document_url",
            "created_at",
        ]

    def get_payout(self, note: CreditNote) -> dict:
        payout: dict = {"method": note.payout_method}
        if note.payout_method == PayoutMethod.ORIGINAL_PAYMENT:
            payout.update(provider=note.refund_provider, payment_reference=note.payment_reference)
        elif note.payout_method == PayoutMethod.BANK_TRANSFER:
            payout.update(iban=note.bank_iban, account_holder=note.bank_account_holder)
        elif note.payout_method == PayoutMethod.GIFT_CARD:
            payout.update(
                gift_card_provider=note.gift_card_provider,
                gift_card_reference=note.gift_card_reference,
            )
        elif note.voucher_id:
            payout["voucher"] = format_code(note.voucher.code)
        return payout

    def get_document_url(self, note: CreditNote) -> str | None:
        if not note.is_booked:
            return None
        return f"/api/v1/credit-notes/{note.pk}/document.pdf"


# --- Refunds --------------------------------------------------------------------------


class RefundListFilter(PageFilter):
    status = serializers.ChoiceField(choices=RefundStatus.choices, required=False)
    order = serializers.CharField(max_length=64, required=False)


class RefundOutput(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number")
    credit_note = serializers.SerializerMethodField()
    amount = AmountOutputField()

    class Meta:
        model = Refund
        fields = [
            "id",
            "order",
            "credit_note",
            "amount",
            "currency",
            "provider",
            "status",
            "provider_reference",
            "attempts",
            "last_error",
            "next_attempt_at",
            "created_at",
        ]

    def get_credit_note(self, refund: Refund) -> str | None:
        return refund.credit_note.number if refund.credit_note_id else None


# --- Return resolution ----------------------------------------------------------------


class ResolutionInput(StrictSerializer):
    provider = serializers.ChoiceField(
        choices=RefundProvider.choices, required=False, allow_blank=True, default=""
    )
    payment_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class ResolutionOutput(serializers.ModelSerializer):
    credit_note = serializers.SerializerMethodField()
    voucher = serializers.SerializerMethodField()
    refund = serializers.SerializerMethodField()
    exchange_order = serializers.SerializerMethodField()
    amount = AmountOutputField()
    bonus = AmountOutputField()

    class Meta:
        model = ReturnResolution
        fields = [
            "rma",
            "resolution",
            "outcome",
            "currency",
            "amount",
            "bonus",
            "lines",
            "calculation",
            "credit_note",
            "voucher",
            "refund",
            "exchange_order",
            "resolved_by",
            "created_at",
        ]

    def get_exchange_order(self, resolution: ReturnResolution) -> dict | None:
        order = resolution.exchange_order
        if order is None:
            return None
        return {
            "number": order.number,
            "status": order.status,
            "total": amount_text(order.total, order.currency),
            "price_difference": amount_text(resolution.price_difference, resolution.currency),
            "payment_link": order.payment_link,
        }

    def get_credit_note(self, resolution: ReturnResolution) -> dict | None:
        note = resolution.credit_note
        if note is None:
            return None
        return {
            "id": note.pk,
            "number": note.number,
            "status": note.status,
            "total": amount_text(note.total, note.currency),
            "document_url": f"/api/v1/credit-notes/{note.pk}/document.pdf",
        }

    def get_voucher(self, resolution: ReturnResolution) -> dict | None:
        voucher = resolution.voucher
        if voucher is None:
            return None
        return {
            "code": format_code(voucher.code),
            "balance": amount_text(voucher.balance, voucher.currency),
            "bonus": amount_text(voucher.bonus, voucher.currency),
            "expires_at": voucher.expires_at.isoformat() if voucher.expires_at else None,
        }

    def get_refund(self, resolution: ReturnResolution) -> dict | None:
        refund = resolution.refund
        if refund is None:
            return None
        return {
            "id": refund.pk,
            "status": refund.status,
            "provider": refund.provider,
            "amount": amount_text(refund.amount, refund.currency),
        }
