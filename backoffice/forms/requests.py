"""Forms of the queue and the request detail page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.forms.common import BLANK, MultipleFileField
from backoffice.selectors import QUEUE_SORTS
from returns.statuses import (
    CaseType,
    ReturnStatus,
)

PAGE_SIZES = (25, 50, 100)
OPEN = "open"


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
