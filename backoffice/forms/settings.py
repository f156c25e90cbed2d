"""Forms of the shop settings: return policy, reasons, channels, shop, API keys, team."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.access import ROLE_LABELS
from returns.models import MIN_WITHDRAWAL_DAYS, ReturnPolicy
from returns.policy import POLICY_FIELDS
from returns.statuses import (
    Resolution,
    ReturnMethod,
)
from returns_platform.money import COUNTRY_CODES
from tenants.models import ApiScope, ChannelKind, Tenant
from tenants.services import TENANT_SETTINGS_FIELDS

# --- Settings -----------------------------------------------------------------------


def _codes(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def _country_list(text: str) -> list[str]:
    codes = [code.upper() for code in _codes(text)]
    unknown = [code for code in codes if code not in COUNTRY_CODES]
    if unknown:
        raise forms.ValidationError(
            _("Not a country code: %(codes)s. Use ISO codes such as NL, BE, DE."),
            params={"codes": ", ".join(unknown)},
        )
    return sorted(set(codes))


def _costs(text: str) -> dict[str, str]:
    """ "BE 5.95, DE=6.50" -> {"BE": "5.95", "DE": "6.50"}."""
    costs = {}
    # A comma separates entries only before a country code, so "DE 6,50" is a price.
    for part in [p for p in re.split(r"[;\n]+|,(?=\s*[A-Za-z])", text or "") if p.strip()]:
        match = re.fullmatch(r"\s*([A-Za-z]{2})\s*[=: ]\s*(\d+(?:[.,]\d{1,2})?)\s*", part)
        if not match or match.group(1).upper() not in COUNTRY_CODES:
            raise forms.ValidationError(
                _("Write country costs as “BE 5.95, DE 6.50”; %(part)s is not understood."),
                params={"part": part.strip()},
            )
        costs[match.group(1).upper()] = match.group(2).replace(",", ".")
    return costs


class PolicyForm(forms.Form):
    window_days_return = forms.IntegerField(
        min_value=MIN_WITHDRAWAL_DAYS, max_value=3650, label=_("Return window (days)")
    )
    window_days_complaint = forms.IntegerField(
        min_value=0, max_value=3650, label=_("Complaint window (days)")
    )
    window_days_missing_item = forms.IntegerField(
        min_value=0, max_value=3650, label=_("Missing-item window (days)")
    )
    allowed_countries = forms.CharField(
        required=False, label=_("Countries allowed"), help_text=_("Empty: every country.")
    )
    blocked_countries = forms.CharField(required=False, label=_("Countries blocked"))
    non_returnable_skus = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Non-returnable SKUs")
    )
    non_returnable_categories = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Non-returnable categories"),
    )
    resolutions = forms.MultipleChoiceField(
        choices=Resolution.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Resolutions offered"),
    )
    store_credit_bonus_percent = forms.DecimalField(
        min_value=0, max_value=100, decimal_places=2, label=_("Store-credit bonus (%)")
    )
    free_return_for_exchange = forms.BooleanField(
        required=False, label=_("Free return for exchanges")
    )
    auto_approve = forms.BooleanField(
        required=False, label=_("Approve requests without warnings automatically")
    )
    repeat_returner_threshold = forms.IntegerField(
        min_value=0, max_value=1000, label=_("Repeat-returner threshold")
    )
    high_value_threshold = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, label=_("High-value threshold")
    )

    # The policy service names a method without a cost as ``methods.<method>``.
    field_aliases = {
        f"methods.{method}": f"method_{method}_default" for method in ReturnMethod.values
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for method, label in ReturnMethod.choices:
            self.fields[f"method_{method}_offered"] = forms.BooleanField(
                required=False, label=label
            )
            self.fields[f"method_{method}_default"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=2,
                label=_("Cost, default"),
            )
            self.fields[f"method_{method}_countries"] = forms.CharField(
                required=False,
                label=_("Cost per country"),
            )

    @classmethod
    def initial_from(cls, policy: ReturnPolicy) -> dict:
        initial = {
            name: getattr(policy, name)
            for name in (
                "window_days_return",
                "window_days_complaint",
                "window_days_missing_item",
                "store_credit_bonus_percent",
                "free_return_for_exchange",
                "auto_approve",
                "repeat_returner_threshold",
                "high_value_threshold",
                "resolutions",
            )
        }
        initial["allowed_countries"] = ", ".join(policy.allowed_countries or [])
        initial["blocked_countries"] = ", ".join(policy.blocked_countries or [])
        initial["non_returnable_skus"] = "\n".join(policy.non_returnable_skus or [])
        initial["non_returnable_categories"] = "\n".join(policy.non_returnable_categories or [])
        for method in ReturnMethod.values:
            costs = dict((policy.methods or {}).get(method) or {})
            initial[f"method_{method}_offered"] = method in (policy.methods or {})
            initial[f"method_{method}_default"] = costs.pop("default", None)
            initial[f"method_{method}_countries"] = ", ".join(
                f"{country} {cost}" for country, cost in sorted(costs.items())
            )
        return initial

    def method_rows(self):
        return [
            (
                label,
                self[f"method_{method}_offered"],
                self[f"method_{method}_default"],
                self[f"method_{method}_countries"],
            )
            for method, label in ReturnMethod.choices
        ]

    def clean_allowed_countries(self):
        return _country_list(self.cleaned_data["allowed_countries"])

    def clean_blocked_countries(self):
        return _country_list(self.cleaned_data["blocked_countries"])

    def clean_non_returnable_skus(self):
        return _codes(self.cleaned_data["non_returnable_skus"])

    def clean_non_returnable_categories(self):
        return _codes(self.cleaned_data["non_returnable_categories"])

    def clean(self):
        cleaned = super().clean()
        methods = {}
        for method in ReturnMethod.values:
            field = f"method_{method}_countries"
            try:
                costs = _costs(self.data.get(self.add_prefix(field), ""))
            except forms.ValidationError as error:
                self.add_error(field, error)
                continue
            if not cleaned.get(f"method_{method}_offered"):
                continue
            default = cleaned.get(f"method_{method}_default")
            if default is not None:
                costs["default"] = str(Decimal(default).quantize(Decimal("0.01")))
            methods[method] = costs
        # Whether they are enough (one method at least, each with a cost) is the policy's
        # rule: ``return_policy_update`` refuses, and the view shows it on the field.
        cleaned["methods"] = methods
        return cleaned

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS}


class ReasonForm(forms.Form):
    code = forms.SlugField(max_length=50, label=_("Code"))
    label_en = forms.CharField(max_length=200, label=_("English"))
    label_nl = forms.CharField(max_length=200, required=False, label=_("Dutch"))
    label_de = forms.CharField(max_length=200, required=False, label=_("German"))
    label_pl = forms.CharField(max_length=200, required=False, label=_("Polish"))
    label_sv = forms.CharField(max_length=200, required=False, label=_("Swedish"))
    active = forms.BooleanField(required=False, initial=True, label=_("Active"))
    order = forms.IntegerField(min_value=0, max_value=10000, initial=0, label=_("Position"))


class ChannelForm(forms.Form):
    code = forms.SlugField(max_length=50, label=_("Code"))
    name = forms.CharField(max_length=100, label=_("Name"))
    kind = forms.ChoiceField(choices=ChannelKind.choices, label=_("Kind"))
    consultant = forms.ChoiceField(required=False, label=_("Consultant"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", _("Nobody"))] + [
            (str(m.user_id), m.user.get_username()) for m in members
        ]


class TenantSettingsForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = list(TENANT_SETTINGS_FIELDS)
        labels = {
            "name": _("Shop name"),
            "default_language": _("Default language"),
            "brand_colour": _("Brand colour"),
            "logo": _("Logo"),
            "return_address_name": _("Return address: name"),
            "return_address_street": _("Street"),
            "return_address_postcode": _("Postcode"),
            "return_address_city": _("City"),
            "return_address_country": _("Country"),
            "legal_name": _("Legal name (on credit notes)"),
            "legal_address": _("Legal address (on credit notes)"),
            "vat_number": _("VAT number"),
            "notification_email": _("Notification address"),
            "policy_url": _("Return policy page"),
            "support_url": _("Customer service page"),
        }
        widgets = {
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "legal_address": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_return_address_country(self):
        return (self.cleaned_data["return_address_country"] or "").upper()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("A logo is at most 2 MB."))
        return logo


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Name"))
    scopes = forms.MultipleChoiceField(
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Scopes"),
        help_text=_("What the system holding this key may do. Read everything allows GET only."),
    )


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(choices=list(ROLE_LABELS.items()), label=_("Role"))
    password = forms.CharField(
        required=False,
        min_length=8,
        widget=forms.PasswordInput,
        label=_("Initial password (new accounts)"),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=list(ROLE_LABELS.items()))
