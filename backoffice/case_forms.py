"""Forms of the inspection and case settings, complaint decisions and keep-the-item."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from returns.models import ReturnPolicy
from returns.statuses import Condition, DecisionKind
from returns_platform.money import CURRENCY_CODES

DEDUCTED_CONDITIONS = (Condition.OPENED, Condition.DAMAGED, Condition.WRONG_ITEM)


def currency_thresholds(text: str) -> dict[str, str]:
    """ "EUR 15, SEK 150" -> {"EUR": "15", "SEK": "150"}."""
    thresholds = {}
    for part in [p for p in re.split(r"[;,\n]+", text or "") if p.strip()]:
        match = re.fullmatch(r"\s*([A-Za-z]{3})\s*[=: ]\s*(\d+(?:\.\d{1,2})?)\s*", part)
        if not match or match.group(1).upper() not in CURRENCY_CODES:
            raise forms.ValidationError(
                _("Write thresholds as “EUR 15.00, SEK 150”; %(part)s is not understood."),
                params={"part": part.strip()},
            )
        thresholds[match.group(1).upper()] = match.group(2)
    return thresholds


class CasePolicyForm(forms.Form):
    keep_item_below = forms.CharField(
        required=False,
        label=_("Keep the item at or below (per currency)"),
        help_text=_("E.g. EUR 15.00, SEK 150. Empty: customers always send the goods back."),
    )
    keep_item_excluded_categories = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Categories never kept by the customer"),
    )
    window_days_business = forms.IntegerField(
        min_value=0,
        max_value=3650,
        label=_("Business customers' return window (days)"),
        help_text=_("0: business customers have no right of withdrawal and cannot return."),
    )
    rejection_legal_basis = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Legal basis stated when a complaint is rejected"),
    )
    exchange_ships_first = forms.BooleanField(
        required=False, label=_("Ship an exchange's replacement when the return is approved")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for condition in DEDUCTED_CONDITIONS:
            self.fields[f"deduction_{condition}"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                label=_("Deduction for “%(condition)s” (%%)") % {"condition": condition.label},
            )

    @classmethod
    def initial_from(cls, policy: ReturnPolicy) -> dict:
        initial = {
            "keep_item_below": ", ".join(
                f"{currency} {amount}"
                for currency, amount in sorted((policy.keep_item_below or {}).items())
            ),
            "keep_item_excluded_categories": "\n".join(policy.keep_item_excluded_categories or []),
            "window_days_business": policy.window_days_business,
            "rejection_legal_basis": policy.rejection_legal_basis,
            "exchange_ships_first": policy.exchange_ships_first,
        }
        for condition in DEDUCTED_CONDITIONS:
            initial[f"deduction_{condition}"] = (policy.condition_deductions or {}).get(condition)
        return initial

    def deduction_fields(self):
        return [self[f"deduction_{condition}"] for condition in DEDUCTED_CONDITIONS]

    def clean_keep_item_below(self):
        return currency_thresholds(self.cleaned_data["keep_item_below"])

    def clean_keep_item_excluded_categories(self):
        text = self.cleaned_data["keep_item_excluded_categories"]
        return [part for part in re.split(r"[\s,;]+", text or "") if part]

    def changes(self) -> dict:
        data = self.cleaned_data
        deductions = {
            str(condition): str(data[f"deduction_{condition}"])
            for condition in DEDUCTED_CONDITIONS
            if data.get(f"deduction_{condition}") not in (None, Decimal("0"))
        }
        return {
            "condition_deductions": deductions,
            "keep_item_below": data["keep_item_below"],
            "keep_item_excluded_categories": data["keep_item_excluded_categories"],
            "window_days_business": data["window_days_business"],
            "rejection_legal_basis": data["rejection_legal_basis"],
            "exchange_ships_first": data["exchange_ships_first"],
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DecisionKind.choices, label=_("Decision"))
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason")
    )
