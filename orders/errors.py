"""Refusals of orders: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register(
    "currency_locked",
    409,
    _(
        "Order %(number)s has return %(rmas)s in %(currency)s: its currency cannot "
        "change to %(new)s."
    ),
)
register(
    "currency_locked.money",
    409,
    _(
        "Order %(number)s has credit notes, refunds or vouchers in %(currency)s: its "
        "currency cannot change to %(new)s."
    ),
)
register(
    "total_below_credited",
    409,
    _(
        "Order %(number)s would total %(total)s %(currency)s, less than the %(paid)s "
        "%(currency)s already credited or refunded on it."
    ),
)
register(
    "line_in_use.changed",
    409,
    _(
        "Line %(position)s of order %(number)s is held by return %(rmas)s: its "
        "%(fields)s cannot change."
    ),
)
register(
    "line_in_use.quantity",
    409,
    _(
        "Line %(position)s of order %(number)s is held by return %(rmas)s for "
        "%(held)s unit(s): its quantity cannot drop to %(quantity)s."
    ),
)
register("invalid_order_event", 409, _("An order that is %(status)s cannot be marked %(event)s."))
register("invalid_refund.only_on_cancel", 422, _("Only a cancellation carries a refund."))
register(
    "invalid_refund.shape", 422, _('refund is "issue" or {"amount": "12.95", "reference": "..."}.')
)
register(
    "invalid_refund.too_high",
    422,
    _("A refund is more than 0 and at most the order total, %(total)s %(currency)s."),
)
register(
    "duplicate_number", 422, _("Order number '%(number)s' appears more than once in this request.")
)
register("unknown_channel", 422, _("Unknown sales channel '%(code)s'."))
register(
    "line_in_use",
    409,
    _("Line %(position)s of order %(number)s is part of a return and cannot be removed."),
)
register("invalid_date", 422, _("%(name)s cannot be before placed_at."))
register("expected_at_required", 422, _("A delay needs the new expected date."))
register("expected_in_past", 422, _("The new delivery date cannot be in the past."))
# The same refusal as a credit note's amount (credits.errors): a total no column can hold.
register("amount_too_large", 422, _("The amount is larger than %(limit)s can be."))
