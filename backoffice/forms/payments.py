"""Forms of settings > payments: refund settings and one key form per provider."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.case_forms import currency_thresholds
from credits.services.payment_settings import MAX_VALIDITY_DAYS
from credits.settings import CREDIT_SETTING_FIELDS
from credits.statuses import RefundProvider


class RefundSettingsForm(forms.Form):
    default_provider = forms.ChoiceField(
        choices=RefundProvider.choices,
        label=_("Default refund method"),
        help_text=_("Used when a refund names no provider. Stripe and Mollie need a key."),
    )
    four_eyes_booking = forms.BooleanField(
        required=False,
        label=_("Four-eyes booking"),
        help_text=_("A credit note is booked by someone other than its author."),
    )
    four_eyes_above = forms.CharField(
        required=False,
        label=_("Four eyes only above (per currency)"),
        help_text=_("E.g. EUR 250.00. Empty: every credit note needs a second person."),
    )
    voucher_bonus_percent = forms.DecimalField(
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        label=_("Voucher bonus (%)"),
        help_text=_("Added to a voucher chosen instead of money back."),
    )
    voucher_validity_days = forms.IntegerField(
        min_value=0,
        max_value=MAX_VALIDITY_DAYS,
        label=_("Voucher validity (days)"),
        help_text=_("0: vouchers never expire."),
    )

    def clean_four_eyes_above(self) -> dict[str, str]:
        return currency_thresholds(self.cleaned_data["four_eyes_above"])

    def credit_settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in CREDIT_SETTING_FIELDS}

    @staticmethod
    def initial_thresholds(thresholds: dict) -> str:
        return ", ".join(f"{code} {amount}" for code, amount in sorted(thresholds.items()))


class PaymentAccountForm(forms.Form):
    """The key is write-only: the field is never filled in, an empty one keeps the key."""

    api_key = forms.CharField(
        required=False,
        max_length=500,
        strip=True,
        label=_("API key"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, provider: str, masked: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        field = self.fields["api_key"]
        if provider == RefundProvider.STRIPE:
            field.help_text = _("A secret (sk_…) or restricted (rk_…) key with refund rights.")
        else:
            field.help_text = _("The website profile's API key (live_… or test_…).")
        if masked:
            field.help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {"masked": masked}
