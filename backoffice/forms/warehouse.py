"""Forms of the warehouse screens: the scan box and the receipt lines."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from returns.statuses import (
    Condition,
    Disposition,
)

# --- Warehouse ----------------------------------------------------------------------

RMA_PATTERN = re.compile(r"R-?(\d{1,12})", re.IGNORECASE)
STATUS_PATH_PATTERN = re.compile(r"/s/([A-Za-z0-9_\-:.]+)/?")


def scanned_rma(raw: str) -> tuple[str | None, str | None]:
    """(rma, status token) from what a scanner typed: an RMA in any spelling, or the
    status-page URL the label's QR code carries."""
    raw = (raw or "").strip()
    token = STATUS_PATH_PATTERN.search(raw)
    if token:
        return None, token.group(1)
    match = RMA_PATTERN.fullmatch(raw) or (raw.isdigit() and re.fullmatch(r"(\d{1,12})", raw))
    if match:
        return f"R-{int(match.group(1)):06d}", None
    match = RMA_PATTERN.search(raw)
    if match:
        return f"R-{int(match.group(1)):06d}", None
    return None, None


class ScanForm(forms.Form):
    code = forms.CharField(max_length=500, label=_("RMA or label barcode"))

    def clean_code(self):
        rma, token = scanned_rma(self.cleaned_data["code"])
        if rma is None and token is None:
            raise forms.ValidationError(_("This is not an RMA number or a return label."))
        self.rma, self.token = rma, token
        return self.cleaned_data["code"]


class ReceiptLineForm(forms.Form):
    received_quantity = forms.IntegerField(min_value=0, label=_("Received"))
    condition = forms.ChoiceField(choices=Condition.choices, label=_("Condition"))
    disposition = forms.ChoiceField(choices=Disposition.choices, label=_("Disposition"))
    accepted_amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=13,
        decimal_places=3,
        label=_("Accepted amount"),
        help_text=_("Empty: the paid price less the policy's deduction for the condition."),
    )
    accepted_reason = forms.CharField(
        required=False, max_length=300, label=_("Reason for another amount")
    )
    photo = forms.FileField(required=False, label=_("Photo"))

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["received_quantity"].validators.append(MaxValueValidator(line.quantity))
        self.fields["received_quantity"].widget.attrs.update({"min": 0, "max": line.quantity})
