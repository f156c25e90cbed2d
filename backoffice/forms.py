"""Forms of the back office: they validate input and give field errors; services decide."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from backoffice.access import ROLE_LABELS
from backoffice.selectors import QUEUE_SORTS
from backoffice.services import TENANT_SETTINGS_FIELDS
from orders.statuses import OrderStatus
from returns.models import MIN_WITHDRAWAL_DAYS, ReturnPolicy
from returns.policy import POLICY_FIELDS
from returns.statuses import (
    CaseType,
    Condition,
    Disposition,
    Resolution,
    ReturnMethod,
    ReturnStatus,
)
from returns_platform.money import COUNTRY_CODES
from tenants.models import ApiScope, ChannelKind, Tenant

PAGE_SIZES = (25, 50, 100)
OPEN = "open"
BLANK = [("", "—")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service that stores it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


# --- Queue --------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string. A bad value is a field error and
    that filter is ignored; the page still answers."""

    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    case_type = forms.ChoiceField(required=False, label=_("Case type"))
    channel = forms.ChoiceField(required=False, label=_("Channel"))
    assignee = forms.ChoiceField(required=False, label=_("Assignee"))
    reason = forms.ChoiceField(required=False, label=_("Reason"))
    created_from = forms.DateField(required=False, label=_("From"))
    created_to = forms.DateField(required=False, label=_("To"))
    waiting = forms.ChoiceField(
        required=False,
        label=_("Waiting on"),
        choices=[("", "—"), ("shop", _("Us")), ("customer", _("The customer"))],
    )
    held = forms.BooleanField(required=False, label=_("Held only"))
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in QUEUE_SORTS])
    per_page = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(size, size) for size in PAGE_SIZES],
        label=_("Per page"),
    )

    def __init__(self, *args, channels=(), members=(), reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            (OPEN, _("Open (not final)")),
            *ReturnStatus.choices,
        ]
        self.fields["case_type"].choices = BLANK + list(CaseType.choices)
        self.fields["channel"].choices = BLANK + [(c.code, c.name) for c in channels]
        self.fields["assignee"].choices = (
            BLANK
            + [("me", _("Me")), ("none", _("Nobody"))]
            + [(str(m.user_id), m.user.get_username()) for m in members]
        )
        self.fields["reason"].choices = BLANK + [(r.code, r.label_en) for r in reasons]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters only (an invalid field is left out). With no status asked
        for at all, the queue shows the open requests: the work still to do."""
        self.is_valid()
        filters = {name: value for name, value in self.cleaned_data.items() if value}
        if "status" not in self.data:
            filters["status"] = OPEN
        return filters


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("concept", _("Move to concept")),
            ("approved", _("Approve")),
            ("on_hold", _("Put on hold")),
            ("assign", _("Assign to")),
        ]
    )
    selected = forms.MultipleChoiceField(error_messages={"required": _("Select requests first.")})
    assignee = forms.ChoiceField(required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = BLANK + [
            (str(m.user_id), m.user.get_username()) for m in members
        ]
        # RMAs are looked up in the shop's scope by the view; only their shape is checked here.
        self.fields["selected"].choices = [
            (value, value) for value in (self.data.getlist("selected") if self.data else [])
        ]

    def clean_selected(self):
        selected = self.cleaned_data["selected"]
        if len(selected) > 200:
            raise forms.ValidationError(_("At most 200 requests at once."))
        return selected


# --- Request detail -----------------------------------------------------------------


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=ReturnStatus.choices)
    reason = forms.CharField(required=False, max_length=500, widget=forms.Textarea)


class FreeReturnForm(forms.Form):
    is_free_return = forms.BooleanField(required=False)


class ReassignForm(forms.Form):
    assignee = forms.ChoiceField(required=False, label=_("Assignee"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (str(m.user_id), m.user.get_username()) for m in members
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=10000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Message")
    )
    attachments = MultipleFileField(label=_("Attachments"))
    is_internal = forms.BooleanField(required=False, label=_("Internal note"))


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
        max_digits=12,
        decimal_places=2,
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
        required=False, min_value=0, max_digits=12, decimal_places=2, label=_("Amount refunded")
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
            if not costs:
                self.add_error(
                    f"method_{method}_default",
                    _("An offered method needs a default cost or a cost per country."),
                )
                continue
            methods[method] = costs
        if not methods and not self.errors:
            raise forms.ValidationError(_("Offer at least one return method."))
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
            "notification_email": _("Notification address"),
            "policy_url": _("Return policy page"),
            "support_url": _("Customer service page"),
        }
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}

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
