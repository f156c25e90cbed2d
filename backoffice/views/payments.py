"""Settings > payments (admins): refund settings and the payment provider accounts.

Each form saves only its own part; a key is never shown again, only masked. "Test
connection" tries the key typed in (without storing it) or else the stored key.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backoffice.access import ADMIN_ROLES, staff_actor, staff_view
from backoffice.forms.payments import PaymentAccountForm, RefundSettingsForm
from backoffice.views.common import error_text, form_error
from credits import selectors
from credits.services.payment_settings import (
    KEYED_PROVIDERS,
    payment_connection_test,
    payment_settings_update,
)
from credits.statuses import RefundProvider
from returns_platform.errors import DomainError

ACTIONS = ("save", "test", "remove")


def _account_rows(current: dict, data=None, *, posted: str = "") -> list[dict]:
    accounts = {account["provider"]: account for account in current["accounts"]}
    rows = []
    for provider in KEYED_PROVIDERS:
        account = accounts.get(provider)
        rows.append(
            {
                "provider": provider,
                "label": RefundProvider(provider).label,
                "account": account,
                "form": PaymentAccountForm(
                    data if posted == provider else None,
                    provider=provider,
                    masked=account["api_key"] if account else "",
                    prefix=provider,
                ),
            }
        )
    return rows


def _refund_form(current: dict, data=None) -> RefundSettingsForm:
    return RefundSettingsForm(
        data,
        initial={
            "default_provider": current["default_provider"],
            "four_eyes_booking": current["four_eyes_booking"],
            "four_eyes_above": RefundSettingsForm.initial_thresholds(current["four_eyes_above"]),
            "voucher_bonus_percent": current["voucher_bonus_percent"],
            "voucher_validity_days": current["voucher_validity_days"],
        },
        prefix="refunds",
    )


def _save_refunds(request, form: RefundSettingsForm) -> bool:
    if not form.is_valid():
        return False
    try:
        payment_settings_update(
            actor=staff_actor(request),
            default_provider=form.cleaned_data["default_provider"],
            credit_settings=form.credit_settings(),
        )
    except DomainError as error:
        form_error(form, error)
        return False
    messages.success(request, _("Refund settings saved."))
    return True


def _account_action(request, row: dict, action: str) -> bool:
    form, provider = row["form"], row["provider"]
    if not form.is_valid():
        return False
    try:
        if action == "test":
            result = payment_connection_test(
                provider=provider, api_key=form.cleaned_data["api_key"]
            )
            accepted = (
                _("%(provider)s accepted the live key.")
                if result.mode == "live"
                else _("%(provider)s accepted the test key.")
            )
            messages.success(request, accepted % {"provider": row["label"]})
            return True
        if action == "remove":
            payment_settings_update(
                actor=staff_actor(request), accounts=[{"provider": provider, "remove": True}]
            )
            removed = _("%(provider)s account removed.") % {"provider": row["label"]}
            messages.success(request, removed)
            return True
        payment_settings_update(
            actor=staff_actor(request),
            accounts=[{"provider": provider, "api_key": form.cleaned_data["api_key"]}],
        )
    except DomainError as error:
        form.add_error("api_key", error_text(error))
        return False
    messages.success(request, _("%(provider)s key saved.") % {"provider": row["label"]})
    return True


@staff_view(roles=ADMIN_ROLES)
def payment_settings(request):
    current = selectors.payment_settings()
    section = request.POST.get("section", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    refund_form = _refund_form(current, data if section == "refunds" else None)
    rows = _account_rows(current, data, posted=section)
    status = 200
    if request.method == "POST":
        if section == "refunds":
            done = _save_refunds(request, refund_form)
        else:
            row = next((row for row in rows if row["provider"] == section), None)
            action = request.POST.get("action", "save")
            if row is None or action not in ACTIONS:
                raise Http404("Unknown payment settings section.")
            done = _account_action(request, row, action)
        if done:
            return redirect("backoffice:settings-payments")
        status = 422
    return render(
        request,
        "backoffice/settings/payments.html",
        {
            "settings_section": "payments",
            "refund_form": refund_form,
            "rows": rows,
            "current": current,
        },
        status=status,
    )
