"""The mails the platform sends: their events, languages, buttons and the labels they print.

The default texts are Django templates, ``templates/emails/<event>/subject.txt`` and
``body.txt``, written in English with ``{% translate %}``/``{% blocktranslate %}``; the
translations are in the app's gettext catalogues (``notifications/locale/<lang>/``).
The HTML part is the shared layout (``templates/emails/layout.html``) around the text,
with the tenant's branding and a button for the event's main link (``ACTIONS``). Tenants
override subject and body per event and language (``NotificationTemplate``); a customer
mail starts with a greeting and ends with the shop's name, written out in every default
so that an override replaces the whole text. See ``notifications.rendering``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LANGUAGES = ("en", "nl", "de", "pl", "sv")
FALLBACK_LANGUAGE = "en"

# Mails to the shop (its notification address and the request's assignee), in the shop's
# language: a new request, and a message the customer wrote on a request's thread.
STAFF_REQUESTED = "return.requested.staff"
STAFF_CUSTOMER_MESSAGE = "return.customer_message.staff"

# Every mail, by the event (or staff template) it is written for; each has a folder
# ``templates/emails/<event>/`` with ``subject.txt`` and ``body.txt``.
MAIL_EVENTS = (
    "order.shipped",
    "order.delayed",
    "order.delivered",
    "order.cancelled",
    "return.requested",
    "return.approved",
    "return.cancelled",
    "return.received",
    "return.completed",
    "return.label_created",
    "return.in_transit",
    "return.inspected",
    "return.free_return_set",
    "return.decided",
    "order.exchange_created",
    "return.message",
    "refund.succeeded",
    "voucher.issued",
    "credit_note.booked",
    "feedback.requested",
    STAFF_REQUESTED,
    STAFF_CUSTOMER_MESSAGE,
)


def template_name(event: str, part: str) -> str:
    """The default template of ``part`` ("subject" or "body") of the mail about ``event``."""
    return f"emails/{event}/{part}.txt"


_VIEW_RETURN = _("View your return")
# The main link of each mail, shown as a button in the HTML part: (context key, label).
ACTIONS = {
    "order.shipped": ("tracking_url", _("Track your parcel")),
    "order.delivered": ("return_url", _("Start a return")),
    "return.approved": ("label_url", _("Download the label")),
    "feedback.requested": ("feedback_url", _("Give feedback")),
    "return.requested": ("status_url", _VIEW_RETURN),
    "return.cancelled": ("status_url", _VIEW_RETURN),
    "return.received": ("status_url", _VIEW_RETURN),
    "return.completed": ("status_url", _VIEW_RETURN),
    "return.message": ("status_url", _VIEW_RETURN),
    "return.label_created": ("label_url", _("Download the label")),
    "return.in_transit": ("status_url", _VIEW_RETURN),
    "return.inspected": ("status_url", _VIEW_RETURN),
    "return.free_return_set": ("status_url", _VIEW_RETURN),
    "return.decided": ("status_url", _VIEW_RETURN),
    "order.exchange_created": ("status_url", _VIEW_RETURN),
    "refund.succeeded": ("status_url", _VIEW_RETURN),
    # Staff open the request in the back office, never the customer's own page.
    STAFF_REQUESTED: ("backoffice_url", _("Open in the back office")),
    STAFF_CUSTOMER_MESSAGE: ("backoffice_url", _("Reply in the back office")),
}

# The links in the footer of every mail.
POLICY_LABEL = _("Return policy")
SUPPORT_LABEL = _("Customer service")

METHOD_INSTRUCTIONS = {
    "drop_off": _(
        "Pack the items securely, stick the label on the parcel and hand it in at a "
        "service point of the carrier."
    ),
    "qr_drop_off": _(
        "Pack the items and show the QR code at a service point; the label is printed "
        "for you there."
    ),
    "pickup": _(
        "Pack the items and stick the label on the parcel; the carrier will pick it up "
        "at your address."
    ),
    "in_store": _("Bring the items and this e-mail to one of our stores."),
    "own_shipping": _(
        "Send the parcel to our return address with a carrier of your choice and keep the receipt."
    ),
}

# How mails name a method, resolution and case type. The context "mail" keeps these apart
# from the screens' labels of the same values: a mail says "(refund)" mid-sentence.
LABELS = {
    "method": {
        "drop_off": pgettext_lazy("mail", "Drop-off"),
        "qr_drop_off": pgettext_lazy("mail", "QR drop-off"),
        "pickup": pgettext_lazy("mail", "Pickup"),
        "in_store": pgettext_lazy("mail", "In store"),
        "own_shipping": pgettext_lazy("mail", "Own shipping"),
    },
    "resolution": {
        "refund": pgettext_lazy("mail", "refund"),
        "store_credit": pgettext_lazy("mail", "store credit"),
        "exchange": pgettext_lazy("mail", "exchange"),
        "replacement": pgettext_lazy("mail", "replacement"),
        "repair": pgettext_lazy("mail", "repair"),
    },
    "case_type": {
        "return": pgettext_lazy("mail", "Return"),
        "complaint": pgettext_lazy("mail", "Complaint"),
        "missing_item": pgettext_lazy("mail", "Missing item"),
    },
    # The condition the warehouse found an item in.
    "condition": {
        "as_new": pgettext_lazy("mail", "as new"),
        "opened": pgettext_lazy("mail", "opened"),
        "damaged": pgettext_lazy("mail", "damaged"),
        "wrong_item": pgettext_lazy("mail", "wrong item"),
        "missing": pgettext_lazy("mail", "missing"),
    },
    # What a complaint was decided to end in.
    "decision": {
        "repair": pgettext_lazy("mail", "repair"),
        "replace": pgettext_lazy("mail", "replacement"),
        "refund": pgettext_lazy("mail", "refund"),
        "reject": pgettext_lazy("mail", "rejected"),
    },
    # Where a refund was paid to.
    "payout": {
        "original_payment": pgettext_lazy("mail", "your original payment method"),
        "bank_transfer": pgettext_lazy("mail", "your bank account"),
        "gift_card": pgettext_lazy("mail", "a gift card"),
        "voucher": pgettext_lazy("mail", "a voucher"),
    },
}
