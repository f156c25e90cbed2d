"""Forms of the portal's steps. They validate input; the choices come from selectors."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.selectors import LineChoice, MethodOption
from returns.models import ReturnReason
from returns.statuses import CaseType, Resolution

MAX_COMMENT = 1000


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Order number or tracking number"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    identity = forms.CharField(
        label=_("Postcode or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        help_text=_("The postcode of the delivery address, or the e-mail address of the order."),
    )


CASE_TYPE_HELP = {
    CaseType.RETURN: _("Send back items you no longer want, within the return period."),
    CaseType.COMPLAINT: _("An item is broken or faulty. Photos help us to help you."),
    CaseType.MISSING_ITEM: _("Something was not in your parcel."),
}


class CaseTypeForm(forms.Form):
    case_type = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=CaseType.choices,
        widget=forms.RadioSelect,
    )


class ItemsForm(forms.Form):
    """One quantity per line that can be chosen; blocked lines get no field."""

    def __init__(self, *args, choices: list[LineChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        for choice in choices:
            if choice.is_blocked:
                continue
            self.fields[f"quantity_{choice.order_line.pk}"] = forms.TypedChoiceField(
                label=_("Quantity of %(item)s") % {"item": choice.order_line.name},
                choices=[(number, str(number)) for number in range(choice.left + 1)],
                coerce=int,
                empty_value=0,
                required=False,
                initial=0,
            )

    def quantities(self) -> dict[int, int]:
        return {
            choice.order_line.pk: self.cleaned_data.get(f"quantity_{choice.order_line.pk}", 0)
            for choice in self.choices
            if not choice.is_blocked
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.quantities().values()):
            raise forms.ValidationError(_("Choose at least one item."), code="no_lines")
        return cleaned


class DetailsForm(forms.Form):
    """Reason and comment per chosen line (photos arrive as files, checked by the view)."""

    def __init__(
        self, *args, lines: list[LineChoice], reasons: list[ReturnReason], language, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.lines = lines
        reason_choices = [("", _("Choose a reason"))] + [
            (reason.code, reason.label(language)) for reason in reasons
        ]
        for choice in lines:
            line_id = choice.order_line.pk
            self.fields[f"reason_{line_id}"] = forms.ChoiceField(
                label=_("Reason for returning %(item)s") % {"item": choice.order_line.name},
                choices=reason_choices,
            )
            self.fields[f"comment_{line_id}"] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=MAX_COMMENT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class ResolutionForm(forms.Form):
    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Resolution.choices)
        self.fields["resolution"] = forms.ChoiceField(
            label=_("What would you like in return?"),
            choices=[(value, labels[value]) for value in offered],
            widget=forms.RadioSelect,
        )


class ExchangeForm(forms.Form):
    """One replacement per exchanged line: the same item again or one of its variants
    that is available now (``returns.exchange.available_variants``)."""

    def __init__(self, *args, lines: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"exchange_{line['order_line'].pk}"] = forms.ChoiceField(
                label=line["order_line"].name,
                choices=[(option["sku"], option["name"]) for option in line["options"]],
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[int, str]:
        return {int(name.removeprefix("exchange_")): sku for name, sku in self.cleaned_data.items()}


KEEP_ITEM = "keep_item"


class MethodForm(forms.Form):
    """A return method, or ``keep_item`` when the shop offers to let the items be kept."""

    def __init__(self, *args, options: list[MethodOption], keep_offered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(option.method, option.label) for option in options]
        if keep_offered and options:
            choices.insert(0, (KEEP_ITEM, _("Keep the items")))
        self.fields["method"] = forms.ChoiceField(
            label=_("How will you send it back?"),
            choices=choices,
            widget=forms.RadioSelect,
        )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how your return was handled?"),
        choices=[(value, str(value)) for value in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
