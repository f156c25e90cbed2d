"""Commands of the credits app (credit notes, vouchers, refunds) that others may call."""

from credits.services.credit_notes import (
    credit_note_book,
    credit_note_create,
    credit_note_document_store,
    credit_note_update,
)
from credits.services.refunds import (
    refund_confirm_manual,
    refund_create,
    refund_submit,
    refunds_submit_due,
)
from credits.services.resolution import discount_cheque_refund, return_resolve
from credits.services.vouchers import (
    voucher_expire,
    voucher_issue,
    voucher_redeem,
    voucher_reverse,
    voucher_void,
    vouchers_expire_due,
)

__all__ = [
    "credit_note_book",
    "credit_note_create",
    "credit_note_document_store",
    "credit_note_update",
    "discount_cheque_refund",
    "refund_confirm_manual",
    "refund_create",
    "refund_submit",
    "refunds_submit_due",
    "return_resolve",
    "voucher_expire",
    "voucher_issue",
    "voucher_redeem",
    "voucher_reverse",
    "voucher_void",
    "vouchers_expire_due",
]
