"""Back-office forms of the credits screens: they validate input; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from credits.statuses import (
    CreditNoteReason,
    CreditNoteStatus,
    PayoutMethod,
    RefundProvider,
    RefundStatus,
)

# Up to three decimals (BHD, KWD, OMR); the services hold an amount to its currency's
# minor units.
MONEY = {"max_digits": 13, "decimal_places": 3}


class VoucherFindForm(forms.Form):
    code = forms.CharField(label=_("Voucher code"), max_length=60, strip=True)


class VoucherRedeemForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)


class VoucherVoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class VoucherIssueForm(forms.Form):
    """A goodwill voucher issued by staff; the service checks amount, currency, dates."""

    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("Printed with the voucher, e.g. why the customer receives it."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day the voucher can no longer be used. Empty: no expiry."),
    )
    order = forms.CharField(label=_("Order number (optional)"), max_length=64, required=False)
    email = forms.EmailField(
        label=_("Customer e-mail (optional, receives the code)"), required=False
    )

    field_aliases = {"currency": "currency", "expires_at": "expires_at", "bonus": "amount"}

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()


class CreditNoteFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *CreditNoteStatus.choices], required=False
    )
    order = forms.CharField(label=_("Order"), max_length=64, required=False)


class CreditNoteForm(forms.Form):
    order = forms.CharField(label=_("Order number"), max_length=64)
    reason = forms.ChoiceField(label=_("Reason"), choices=CreditNoteReason.choices)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    amount = forms.DecimalField(label=_("Amount (tax included)"), **MONEY)
    tax_rate = forms.DecimalField(
        label=_("Tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("0"),
        required=False,
    )
    payout_method = forms.ChoiceField(label=_("Payout"), choices=PayoutMethod.choices)
    provider = forms.ChoiceField(
        label=_("Payment provider"),
        choices=[("", _("Shop default")), *RefundProvider.choices],
        required=False,
    )
    payment_reference = forms.CharField(
        label=_("Payment reference"), max_length=200, required=False
    )
    gift_card_provider = forms.CharField(
        label=_("Gift card provider"), max_length=100, required=False
    )
    gift_card_reference = forms.CharField(
        label=_("Gift card reference"), max_length=200, required=False
    )
    iban = forms.CharField(label=_("IBAN"), max_length=50, required=False)
    account_holder = forms.CharField(label=_("Account holder"), max_length=200, required=False)

    field_aliases = {
        "payout.provider": "provider",
        "payout.iban": "iban",
        "payout.account_holder": "account_holder",
        "payout.gift_card": "gift_card_reference",
        "payment_reference": "payment_reference",
        "order": "order",
    }


class RefundFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *RefundStatus.choices], required=False
    )


class RefundConfirmForm(forms.Form):
    provider_reference = forms.CharField(
        label=_("Payment reference (bank statement)"), max_length=200
    )


class ResolveForm(forms.Form):
    provider = forms.ChoiceField(
        label=_("Payment provider"),
        choices=[("", _("Shop default")), *RefundProvider.choices],
        required=False,
    )
    payment_reference = forms.CharField(
        label=_("Payment reference"), max_length=200, required=False
    )

    field_aliases = {"payout.provider": "provider", "payment_reference": "payment_reference"}
