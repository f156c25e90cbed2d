"""Refusals of credits: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register(
    "credit_note_not_booked",
    409,
    _("Credit note %(id)s is a draft; its document exists once it is booked."),
)
register("not_decided", 404, _("%(rma)s has no decision."))
register("unknown_voucher", 404, _("No voucher with this code."))
register("not_found.credit_note", 404, _("No credit note %(credit_note_id)s."))
register("not_resolved", 404, _("%(rma)s has not been resolved."))
register("not_found.refund", 404, _("No refund %(refund_id)s."))
register(
    "invalid_code_format",
    400,
    _("A voucher code has 20 letters and digits (dashes and spaces are ignored)."),
)
register(
    "invalid_code_checksum",
    422,
    _("This voucher code has a typo: its check character does not match."),
)
register("nothing_to_refund", 409, _("Order %(number)s has no total to refund."))
register("invalid_amount", 422, _("The amount must be greater than zero."))
register("amount_too_large", 422, _("The amount is larger than %(limit)s can be."))
register("invalid_precision", 422, _("%(currency)s amounts have %(places)s decimal places."))
register("invalid_currency", 422, _("'%(currency)s' is not an ISO 4217 currency code."))
register("amount_or_lines", 422, _("Give either an amount or lines, not both and not neither."))
register(
    "credit_note_booked", 409, _("Credit note %(number)s is booked and can no longer be changed.")
)
register("already_booked", 409, _("Credit note %(number)s is already booked."))
register(
    "four_eyes_required",
    403,
    _("Four-eyes booking: a credit note is booked by someone other than its author."),
)
register(
    "credit_exceeds_order",
    409,
    _(
        "This credit note would take the order's credits past its total of "
        "%(creditable)s %(currency)s (%(booked)s %(currency)s is booked already)."
    ),
)
register("override_not_allowed", 403, _("Only a shop admin may book past the order's total."))
register("quantity_exceeds_order_line", 422, _("Order line %(line)s has %(quantity)s units."))
register("required.unit_amount", 422, _("A free-text line needs a unit amount."))
register("required.description", 422, _("A free-text line needs a description."))
register("required.holder", 422, _("A bank transfer needs the account holder's name."))
register("unknown_order_line", 422, _("Line %(line)s is not a line of order %(number)s."))
register("invalid_iban", 422, _("'%(iban)s' is not a valid IBAN: %(problem)s."))
register(
    "required.gift_card", 422, _("A gift card payout needs the gift card provider and reference.")
)
register("invalid_payout", 422, _("Unknown payout method '%(method)s'."))
register(
    "not_a_complaint", 409, _("%(rma)s is not a complaint; only complaints end in a decision.")
)
register("already_decided", 409, _("%(rma)s was decided before (%(decision)s)."))
register("final", 409, _("%(rma)s is %(status)s; it can no longer be decided."))
register("reason_required.decision", 422, _("A decision needs a reason."))
register("provider_not_configured", 422, _("No %(provider)s account is configured for this shop."))
register(
    "payment_reference_required",
    422,
    _("A %(provider)s refund needs the payment reference of the order."),
)
register("currency_mismatch", 422, _("This %(subject)s is in %(expected)s, not %(given)s."))
register(
    "refund_exceeds_order",
    422,
    _("Refunds of order %(number)s would exceed its total of %(total)s %(currency)s."),
)
register("not_manual_refund", 409, _("Only manual refunds are confirmed by staff."))
register("refund_not_pending", 409, _("The refund is %(status)s."))
register("invalid_amount.bonus", 422, _("The bonus cannot be negative."))
register(
    "invalid_validity",
    422,
    _("The expiry date (expires_at) must be after the valid-from date (valid_from)."),
)
register("voucher_void", 422, _("The voucher has been voided."))
register("voucher_expired", 422, _("The voucher expired on %(date)s."))
register("voucher_not_yet_valid", 422, _("The voucher is valid from %(date)s."))
register("insufficient_balance", 422, _("The voucher's balance is %(balance)s %(currency)s."))
register("unknown_entry", 404, _("No redemption %(entry_id)s on this voucher."))
register("already_reversed", 409, _("This redemption has already been reversed."))
register("voucher_not_active", 409, _("The voucher is %(status)s."))
register(
    "idempotency_key_reused.voucher",
    422,
    _("This Idempotency-Key was used for a different operation on this voucher."),
)
register(
    "invalid_transition.credits", 409, _("A %(kind)s that is %(current)s cannot become %(target)s.")
)
register("not_resolvable", 409, _("%(rma)s is %(status)s; only an inspected return is resolved."))
register("not_resolvable.completed", 409, _("%(rma)s was completed without a resolution."))
register("api_key_required", 422, _("Enter the %(provider)s API key."))
register(
    "invalid_api_key",
    422,
    _("This is not a %(provider)s API key (it starts with %(example)s)."),
)
register("invalid_bonus_percent", 422, _("The voucher bonus is a percentage from 0 to 100."))
register(
    "invalid_validity_days",
    422,
    _("Voucher validity is a number of days from 0 (never expires) to %(limit)s."),
)
register(
    "provider_in_use",
    409,
    _("%(provider)s still has refunds to pay out; remove the account once they are done."),
)
register("provider_refused_key", 422, _("%(provider)s refused the API key: %(detail)s"))
register("provider_unavailable", 502, _("%(provider)s could not be reached: %(detail)s"))
register(
    "currency_locked.resolution",
    409,
    _(
        "%(rma)s was requested in %(currency)s but order %(number)s is now in %(now)s; "
        "nothing is paid in another currency."
    ),
)
register(
    "invalid_four_eyes_threshold",
    422,
    _("four_eyes_above.%(currency)s: '%(value)s' is not an amount >= 0 in a known currency."),
)
register(
    "voucher_limit_exceeded",
    409,
    _(
        "An API key may issue vouchers of at most %(limit)s %(currency)s (amount plus "
        "bonus); staff can issue larger ones."
    ),
)
