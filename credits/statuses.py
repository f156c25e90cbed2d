"""Choices and the transition tables of credit notes, vouchers and refunds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditNoteReason(models.TextChoices):
    MISSED_DISCOUNT = "missed_discount", _("Missed discount")
    DAMAGED_ITEM = "damaged_item", _("Damaged item")
    GOODWILL = "goodwill", _("Goodwill")
    DISCOUNT_CHEQUE = "discount_cheque", _("Discount cheque converted to money")
    RETURN = "return", _("Return")
    ORDER_CANCELLED = "order_cancelled", _("Order cancelled")


class CreditNoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    BOOKED = "booked", _("Booked")


class PayoutMethod(models.TextChoices):
    ORIGINAL_PAYMENT = "original_payment", _("Original payment method")
    VOUCHER = "voucher", _("Voucher")
    GIFT_CARD = "gift_card", _("External gift card")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    VOID = "void", _("Void")
    EXPIRED = "expired", _("Expired")


class VoucherEntryKind(models.TextChoices):
    ISSUE = "issue", _("Issue")
    REDEEM = "redeem", _("Redemption")
    REVERSE = "reverse", _("Reversal")
    EXPIRE = "expire", _("Expiry")
    ADJUST = "adjust", _("Adjustment")


class RefundProvider(models.TextChoices):
    MANUAL = "manual", _("Manual (staff pays out)")
    STRIPE = "stripe", "Stripe"
    MOLLIE = "mollie", "Mollie"


class ResolutionOutcome(models.TextChoices):
    REFUND = "refund", _("Refund")
    STORE_CREDIT = "store_credit", _("Store credit")
    EXCHANGE = "exchange", _("Exchange requested")
    REPLACEMENT = "replacement", _("Replacement requested")
    REPAIR = "repair", _("Repair requested")
    NOTHING = "nothing", _("Nothing accepted")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")  # claimed by one worker; the provider is called
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


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
