"""Back-office forms of the notifications app: input shapes only, no business rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.mails import STAFF_CUSTOMER_MESSAGE, STAFF_REQUESTED
from notifications.models import OutboxStatus
from notifications.planning import ALL_EVENTS

ALL_EVENTS_CHOICE = "*"

# What each event is called on the back-office screens.
EVENT_TITLES = {
    "order.shipped": _("Order shipped"),
    "order.delayed": _("Order delayed"),
    "order.delivered": _("Order delivered"),
    "order.cancelled": _("Order cancelled"),
    "return.requested": _("Return requested"),
    STAFF_REQUESTED: _("Return requested (to the shop)"),
    "return.approved": _("Return approved"),
    "return.cancelled": _("Return cancelled"),
    "return.received": _("Return received"),
    "return.completed": _("Return completed"),
    "return.message": _("New message"),
    "refund.succeeded": _("Refund paid"),
    "voucher.issued": _("Voucher issued"),
    "credit_note.booked": _("Credit note issued"),
    "feedback.requested": _("Feedback request"),
    "return.on_hold": _("Return on hold"),
    "return.concept": _("Return in concept"),
    "return.label_created": _("Return label created"),
    "return.inspected": _("Return inspected"),
    "return.expired": _("Return expired"),
    "return.in_transit": _("Return in transit"),
    "return.free_return_set": _("Free return changed"),
    "return.reassigned": _("Return reassigned"),
    "return.customer_message": _("Message from the customer"),
    STAFF_CUSTOMER_MESSAGE: _("Message from the customer (to the shop)"),
    "refund.failed": _("Refund failed"),
    "order.exchange_created": _("Exchange order created"),
    "return.decided": _("Decision on a complaint"),
    "repair.requested": _("Repair requested"),
    "order.upserted": _("Orders created or changed"),
}
LANGUAGE_NAMES = {
    "en": "English",
    "nl": "Nederlands",
    "de": "Deutsch",
    "pl": "Polski",
    "sv": "Svenska",
}


def event_title(event: str) -> str:
    return str(EVENT_TITLES.get(event, event))


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Body"),
        strip=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
    )


class WebhookSubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https", widget=forms.URLInput()
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(ALL_EVENTS_CHOICE, _("All events"))]
        + [(event, f"{event_title(event)} ({event})") for event in ALL_EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookSubscriptionEditForm(WebhookSubscriptionForm):
    active = forms.BooleanField(label=_("Active"), required=False)


class MailLogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + list(OutboxStatus.choices),
    )
    q = forms.CharField(
        label=_("Recipient, order or RMA"), required=False, max_length=254, strip=True
    )
