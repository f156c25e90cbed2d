"""Choices and the transition tables of credit notes, vouchers and refunds."""

from django.db import models


class CreditNoteReason(models.TextChoices):
    MISSED_DISCOUNT = "missed_discount", "Missed discount"
    DAMAGED_ITEM = "damaged_item", "Damaged item"
    GOODWILL = "goodwill", "Goodwill"
    DISCOUNT_CHEQUE = "discount_cheque", "Discount cheque converted to money"
    RETURN = "return", "Return"


class CreditNoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    BOOKED = "booked", "Booked"


class PayoutMethod(models.TextChoices):
    ORIGINAL_PAYMENT = "original_payment", "Original payment method"
    VOUCHER = "voucher", "Voucher"
    GIFT_CARD = "gift_card", "External gift card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    VOID = "void", "Void"
    EXPIRED = "expired", "Expired"


class VoucherEntryKind(models.TextChoices):
    ISSUE = "issue", "Issue"
    REDEEM = "redeem", "Redemption"
    REVERSE = "reverse", "Reversal"
    EXPIRE = "expire", "Expiry"
    ADJUST = "adjust", "Adjustment"


class RefundProvider(models.TextChoices):
    MANUAL = "manual", "Manual (staff pays out)"
    STRIPE = "stripe", "Stripe"
    MOLLIE = "mollie", "Mollie"


class ResolutionOutcome(models.TextChoices):
    REFUND = "refund", "Refund"
    STORE_CREDIT = "store_credit", "Store credit"
    EXCHANGE = "exchange", "Exchange requested"
    REPLACEMENT = "replacement", "Replacement requested"
    REPAIR = "repair", "Repair requested"
    NOTHING = "nothing", "Nothing accepted"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"  # claimed by one worker; the provider is called
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


CREDIT_NOTE_TRANSITIONS: dict[str, frozenset[str]] = {
    CreditNoteStatus.DRAFT: frozenset({CreditNoteStatus.BOOKED}),
    CreditNoteStatus.BOOKED: frozenset(),
}

VOUCHER_TRANSITIONS: dict[str, frozenset[str]] = {
    VoucherStatus.ACTIVE: frozenset({VoucherStatus.VOID, VoucherStatus.EXPIRED}),
    VoucherStatus.VOID: frozenset(),
    VoucherStatus.EXPIRED: frozenset(),
}

REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    # pending -> succeeded: a manual refund confirmed by staff.
    RefundStatus.PENDING: frozenset({RefundStatus.PROCESSING, RefundStatus.SUCCEEDED}),
    # processing -> pending: a retryable failure, tried again after a backoff.
    RefundStatus.PROCESSING: frozenset(
        {RefundStatus.SUCCEEDED, RefundStatus.FAILED, RefundStatus.PENDING}
    ),
    RefundStatus.SUCCEEDED: frozenset(),
    RefundStatus.FAILED: frozenset(),
}
