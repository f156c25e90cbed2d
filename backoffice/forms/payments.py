"""Forms of settings > payments: refund settings and one key form per provider."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from credits.services.payment_settings import MAX_VALIDITY_DAYS
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

    def credit_settings(self) -> dict:
        names = ("four_eyes_booking", "voucher_bonus_percent", "voucher_validity_days")
        return {name: self.cleaned_data[name] for name in names}


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
