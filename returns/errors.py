"""Refusals of returns: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("invalid_size", 422, _("size is a6 or a4."))
register(
    "no_parcel.label",
    409,
    _("Nothing is sent back for this return (a missing item, or goods the customer keeps)."),
)
register("no_label", 404, _("Returns sent by %(method)s have no label."))
register("label_not_ready", 409, _("The label is being prepared."))
register("attachment_too_large", 413, _("%(name)s: files are at most 10 MB."))
register(
    "too_many_attachments",
    422,
    _("At most 10 files per request."),
    public=_("Too many photos for one return."),
)
register(
    "invalid_attachment",
    422,
    _("%(name)s: only JPEG, PNG or WebP photos and PDF documents are accepted."),
)
register("attachment_too_large.pixels", 422, _("%(name)s: files are at most 10 MB."))
register(
    "unknown_variant",
    422,
    _("Line %(index)s: '%(sku)s' is not an alternative of %(item)s in stock."),
)
register("not_an_exchange", 422, _("Line %(index)s: a replacement is chosen only for an exchange."))
register("feedback_not_open", 409, _("Feedback can be given once the return is completed."))
register("invalid_rating", 422, _("Choose a rating from 1 to 5."))
register("feedback_closed", 409, _("Feedback can be changed for %(days)s days after it was given."))
# The same terms as the credits' code: an amount with more decimals than its currency has.
register("invalid_precision", 422, _("%(currency)s amounts have %(places)s decimal places."))
register("accepted_amount_too_high", 422, _("Line %(line)s: at most %(maximum)s can be accepted."))
register(
    "accepted_reason_required",
    422,
    _("Line %(line)s: the policy suggests %(suggested)s; give a reason for another amount."),
)
register("invalid_reason", 422, _("A reason needs an English label."))
register(
    "currency_mismatch.several",
    422,
    _("A refund is in one currency: %(currencies)s cannot be combined."),
)
register(
    "no_lines", 422, _("A return needs at least one line."), public=_("Choose at least one item.")
)
register(
    "line_not_in_order",
    422,
    _("Line %(index)s: order line %(line)s is not part of order %(number)s."),
    public=_("Please choose the items again."),
)
register(
    "duplicate_line",
    422,
    _("Line %(index)s: order line %(line)s appears more than once."),
    public=_("Please choose the items again."),
)
register(
    "unknown_reason",
    422,
    _("Line %(index)s: '%(reason)s' is not one of the shop's return reasons."),
    public=_("Please choose a reason for every item."),
)
register(
    "quantity_exceeds_remaining",
    422,
    _("Line %(index)s: %(quantity)s requested, %(left)s left to return."),
    public=_("Some of these items are no longer available to return. Please check the quantities."),
)
register(
    "method_not_offered",
    422,
    _("Return method '%(method)s' is not offered for %(country)s."),
    public=_("This return method is not available. Please choose another."),
)
register(
    "resolution_not_offered",
    422,
    _("'%(resolution)s' is not offered by this shop."),
    public=_("This option is not available. Please choose another."),
)
register(
    "line_blocked",
    422,
    _("Line %(index)s: %(reason)s"),
    public=_("One of the items cannot be returned. Please check your choice."),
)
register("invalid_attachment.line", 422, _("Attachment %(name)s: there is no line %(index)s."))
register(
    "no_parcel", 409, _("The customer keeps the goods of %(rma)s: there is no parcel to receive.")
)
register("not_receivable", 409, _("A return that is %(status)s cannot be received."))
register("line_not_in_return", 422, _("Line %(line)s is not part of %(rma)s."))
register(
    "received_quantity_exceeds",
    422,
    _("Line %(line)s: %(received)s received but %(quantity)s were announced."),
)
register("line_not_in_return.photo", 422, _("Line is not part of this return."))
register("not_changeable", 409, _("The return cost of a %(status)s return can no longer change."))
register("reason_required", 422, _("Cancelling a return needs a reason."))
register("invalid_transition", 409, _("A return that is %(status)s cannot become %(to)s."))
register(
    "held_by_another",
    409,
    _("%(rma)s is on hold by %(held_by)s; only they or an admin can change it."),
)
register(
    "not_withdrawable",
    409,
    _("%(rma)s is already being handled and can no longer be withdrawn."),
)
# The verdict of the return policy is the whole message (already in the reader's language).
register(
    "country_blocked",
    422,
    "%(reason)s",
    public=_("Returns from your country are not accepted by this shop."),
)
register(
    "business_no_withdrawal",
    422,
    "%(reason)s",
    public=_(
        "Business purchases cannot be returned by withdrawal. You can report a defect "
        "or a missing item."
    ),
)
register(
    "invalid_policy.window_too_short", 422, _("The withdrawal window is at least %(days)s days.")
)
register("invalid_policy.not_a_count", 422, _("%(field)s is a whole number of at least 0."))
register(
    "invalid_policy.unknown_country",
    422,
    _("%(field)s: '%(value)s' is not an ISO 3166-1 alpha-2 country code."),
)
register("invalid_policy.unknown_method", 422, _("methods: '%(value)s' is not a return method."))
register(
    "invalid_policy.bad_cost",
    422,
    _("methods.%(method)s.%(country)s: '%(value)s' is not an amount of at least 0."),
)
register(
    "invalid_policy.unknown_resolution", 422, _("resolutions: '%(value)s' is not a resolution.")
)
register("invalid_policy.no_resolution", 422, _("Offer at least one resolution."))
register("invalid_policy.bad_percent", 422, _("store_credit_bonus_percent is between 0 and 100."))
register("invalid_policy.bad_amount", 422, _("%(field)s is an amount of at least 0."))
register("invalid_policy.unknown_field", 422, _("%(field)s is not a policy setting."))
register(
    "invalid_policy.bad_deduction",
    422,
    _("condition_deductions.%(condition)s: '%(value)s' is not a percentage from 0 to 100."),
)
register(
    "invalid_policy.unknown_condition",
    422,
    _("condition_deductions: '%(value)s' is not a condition."),
)
register(
    "invalid_policy.bad_keep_item",
    422,
    _("keep_item_below.%(currency)s: '%(value)s' is not a currency with an amount >= 0."),
)
register(
    "invalid_policy.bad_reasons",
    422,
    _("reasons is a list of {code, labels, active, order} objects, labels by language code."),
)
register(
    "invalid_policy.bad_reason_code",
    422,
    _("'%(value)s' is not a reason code (letters, digits, - and _)."),
)
register(
    "invalid_policy.bad_reason_labels",
    422,
    _("labels maps the language codes en, nl, de, pl, sv to texts."),
)
register("no_method", 422, _("Offer at least one return method."))
register(
    "method_without_cost", 422, _("An offered method needs a default cost or a cost per country.")
)
register(
    "keep_item_not_offered",
    422,
    _("Keeping the item is not offered for this request."),
    public=_(
        "Keeping the items is no longer offered for this return. Please choose how to send it back."
    ),
)
register(
    "order_cancelled",
    422,
    _("This order was cancelled, so there is nothing to return."),
)
register(
    "photo_required",
    422,
    _("Line %(index)s: a complaint needs a photo of the problem."),
    public=_("Add at least one photo of the problem."),
)
register(
    "method_required",
    422,
    _("Choose how the parcel is sent back (method)."),
    public=_("This return method is not available. Please choose another."),
)
