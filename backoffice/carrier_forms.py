"""The carrier account form of the back office (settings > carriers)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from carriers.parcels import parcel_types_normalise
from carriers.serializers import CREDENTIAL_FIELDS
from carriers.statuses import Carrier
from returns.statuses import ReturnMethod
from returns_platform.money import validate_country

CARRIER_METHODS = [
    (ReturnMethod.DROP_OFF, ReturnMethod.DROP_OFF.label),
    (ReturnMethod.QR_DROP_OFF, ReturnMethod.QR_DROP_OFF.label),
    (ReturnMethod.PICKUP, ReturnMethod.PICKUP.label),
]
SECRET_FIELDS = {"secret_key", "password", "client_secret"}


def _codes(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\s]+", text or "") if part.strip()]


class CarrierAccountForm(forms.Form):
    active = forms.BooleanField(required=False, label=_("Book return shipments with this carrier"))
    countries = forms.CharField(
        required=False,
        label=_("Customer countries"),
        help_text=_("Country codes, e.g. NL, BE. Empty: every country."),
    )
    methods = forms.MultipleChoiceField(
        required=False,
        choices=CARRIER_METHODS,
        widget=forms.CheckboxSelectMultiple,
        label=_("Return methods"),
        help_text=_("None ticked: every method that travels with a carrier."),
    )
    service_code = forms.CharField(
        required=False,
        max_length=100,
        label=_("Carrier product"),
        help_text=_("E.g. Sendcloud's shipping option postnl:small/return."),
    )
    return_street = forms.CharField(
        required=False, max_length=200, label=_("Return address: street")
    )
    return_house_number = forms.CharField(required=False, max_length=20, label=_("House number"))
    return_postcode = forms.CharField(required=False, max_length=20, label=_("Postcode"))
    return_city = forms.CharField(required=False, max_length=100, label=_("City"))
    return_country = forms.CharField(required=False, max_length=2, label=_("Country"))
    pickup_categories = forms.CharField(
        required=False,
        label=_("Pickup only for these product categories"),
        help_text=_("Comma-separated, e.g. furniture, bikes. Empty: pickup for every return."),
    )
    pickup_min_weight_kg = forms.DecimalField(
        required=False,
        min_value=Decimal("0.001"),
        max_value=Decimal("1000"),
        max_digits=7,
        decimal_places=3,
        label=_("Pickup from this weight (kg)"),
        help_text=_(
            "Pickup for a return at or above this weight, whatever its categories. "
            "Empty: no weight rule."
        ),
    )

    parcel_types = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Parcel types by weight"),
        help_text=_(
            "One per line: carrier product, maximum kg, price, e.g. postnl:small/return, 2, "
            "4.95. The lightest type that carries the return is booked; a heavier return "
            "is refused."
        ),
    )
    default_item_weight_grams = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        initial=1000,
        label=_("Weight of an item without a weight (grams)"),
    )

    def __init__(self, *args, carrier: str, stored: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.carrier = carrier
        for name in CREDENTIAL_FIELDS[carrier]:
            secret = name in SECRET_FIELDS
            self.fields[f"credential_{name}"] = forms.CharField(
                required=False,
                max_length=500,
                label=name.replace("_", " ").capitalize(),
                widget=forms.PasswordInput(render_value=False) if secret else forms.TextInput,
                help_text=_("Stored. Leave empty to keep it.") if name in stored else "",
            )

    def clean_countries(self) -> list[str]:
        codes = [code.upper() for code in _codes(self.cleaned_data["countries"])]
        for code in codes:
            validate_country(code)
        return codes

    def clean_return_country(self) -> str:
        code = self.cleaned_data["return_country"].strip().upper()
        if code:
            validate_country(code)
        return code

    def clean_pickup_categories(self) -> list[str]:
        return [
            part.strip()
            for part in (self.cleaned_data["pickup_categories"] or "").split(",")
            if part.strip()
        ]

    def clean_parcel_types(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data["parcel_types"] or "").splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            try:
                if len(parts) not in (2, 3):
                    raise ValueError
                max_kg, price = Decimal(parts[1]), Decimal(parts[2]) if len(parts) == 3 else None
                if max_kg <= 0 or (price is not None and price < 0):
                    raise ValueError
            except (ValueError, ArithmeticError) as error:
                raise forms.ValidationError(
                    _("Write each line as: carrier product, maximum kg, price."), code="invalid"
                ) from error
            rows.append({"code": parts[0], "max_kg": max_kg, "price": price})
        try:
            return parcel_types_normalise(rows)
        except ValueError as error:
            raise forms.ValidationError(
                _("Each maximum weight may appear once."), code="duplicate"
            ) from error

    def credentials(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"credential_{name}", "")
            for name in CREDENTIAL_FIELDS[self.carrier]
        }

    def values(self) -> dict:
        names = (
            "active",
            "countries",
            "methods",
            "service_code",
            "return_street",
            "return_house_number",
            "return_postcode",
            "return_city",
            "return_country",
            "pickup_categories",
            "pickup_min_weight_kg",
            "parcel_types",
            "default_item_weight_grams",
        )
        values = {name: self.cleaned_data[name] for name in names}
        values["default_item_weight_grams"] = values["default_item_weight_grams"] or 1000
        return values


def initial_for(account) -> dict:
    if account is None:
        return {"active": False}
    return {
        "active": account.active,
        "countries": ", ".join(account.countries or []),
        "methods": account.methods,
        "service_code": account.service_code,
        "return_street": account.return_street,
        "return_house_number": account.return_house_number,
        "return_postcode": account.return_postcode,
        "return_city": account.return_city,
        "return_country": account.return_country,
        "pickup_categories": ", ".join(account.pickup_categories or []),
        "pickup_min_weight_kg": account.pickup_min_weight_kg,
        "parcel_types": "\n".join(
            ", ".join(
                [kind["code"], kind["max_kg"], *([kind["price"]] if kind.get("price") else [])]
            )
            for kind in account.parcel_types or []
        ),
        "default_item_weight_grams": account.default_item_weight_grams,
    }


CARRIERS = [(code, label) for code, label in Carrier.choices]
