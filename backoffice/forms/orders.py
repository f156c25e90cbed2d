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
    reason = forms.CharField(max_length=300, label=_("Reason"))
