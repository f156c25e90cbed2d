"""Settings > carriers (admins) and the carrier booking of a return (customer service)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.access import ADMIN_ROLES, SERVICE_ROLES, staff_actor, staff_view
from backoffice.carrier_forms import CARRIERS, CarrierAccountForm, initial_for
from carriers import selectors as carrier_selectors
from carriers.connectors import CarrierError
from carriers.services import carrier_account_save, shipment_retry
from carriers.statuses import ShipmentStatus
from returns.selectors import return_get


def _forms(data=None, *, posted: str = "") -> list[dict]:
    accounts = {account.carrier: account for account in carrier_selectors.accounts()}
    rows = []
    for code, label in CARRIERS:
        account = accounts.get(code)
        stored = {
            key for key, value in ((account.credentials if account else {}) or {}).items() if value
        }
        form = CarrierAccountForm(
            data if posted == code else None,
            carrier=code,
            stored=stored,
            initial=initial_for(account),
            prefix=code,
        )
        rows.append({"code": code, "label": label, "form": form, "account": account})
    return rows


@staff_view(roles=ADMIN_ROLES)
def carrier_settings(request):
    posted = request.POST.get("carrier", "") if request.method == "POST" else ""
    rows = _forms(request.POST or None, posted=posted)
    if request.method == "POST":
        row = next((row for row in rows if row["code"] == posted), None)
        if row is None:
            raise Http404("Unknown carrier.")
        form = row["form"]
        if form.is_valid():
            try:
                carrier_account_save(
                    carrier=posted,
                    actor=staff_actor(request),
                    values=form.values(),
                    credentials=form.credentials(),
                )
            except CarrierError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Carrier settings saved."))
                return redirect("backoffice:settings-carriers")
        status = 422
    else:
        status = 200
    return render(
        request,
        "backoffice/settings/carriers.html",
        {
            "rows": rows,
            "settings_section": "carriers",
            "webhook_path": reverse(
                "carriers:webhook", kwargs={"slug": request.tenant.slug, "carrier": "sendcloud"}
            ),
        },
        status=status,
    )


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def carrier_retry(request, rma: str):
    return_request = return_get(rma=rma)
    shipment = carrier_selectors.shipment_of(return_request)
    if shipment is not None and shipment.status == ShipmentStatus.FAILED:
        shipment_retry(shipment=shipment, actor=staff_actor(request))
        messages.success(request, _("The carrier booking is tried again."))
    return redirect("backoffice:request", rma=return_request.rma)
