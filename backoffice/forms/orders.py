"""Forms of the order screens: search, delay, cancel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.forms.common import BLANK
from orders.statuses import OrderStatus

# --- Orders -------------------------------------------------------------------------


class OrderSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    status = forms.ChoiceField(
        required=False, choices=BLANK + list(OrderStatus.choices), label=_("Status")
    )


class OrderDelayForm(forms.Form):
    expected_at = forms.DateField(
        label=_("New expected delivery date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(required=False, max_length=300, label=_("Reason"))


class OrderCancelForm(forms.Form):
    REFUND_CHOICES = [
        ("none", _("No refund recorded")),
        ("shop", _("We refunded it ourselves")),
        ("issue", _("Refund the order total through the payment provider")),
    ]
    reason = forms.CharField(max_length=300, label=_("Reason"))
    refund = forms.ChoiceField(
        choices=REFUND_CHOICES, required=False, initial="none", label=_("Refund")
    )
    refund_amount = forms.DecimalField(
        required=False, min_value=0, max_digits=13, decimal_places=3, label=_("Amount refunded")
    )
    refund_reference = forms.CharField(required=False, max_length=200, label=_("Refund reference"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refund") == "shop" and not cleaned.get("refund_amount"):
            self.add_error("refund_amount", _("Enter the amount you refunded."))
        return cleaned

    def refund_value(self) -> dict | str | None:
        choice = self.cleaned_data["refund"]
        if choice == "issue":
            return "issue"
        if choice == "shop":
            return {
                "amount": str(self.cleaned_data["refund_amount"]),
                "reference": self.cleaned_data["refund_reference"],
            }
        return None
