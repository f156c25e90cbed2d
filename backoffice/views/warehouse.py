"""Warehouse: scan (or type) an RMA or a label, then book the parcel in line by line."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backoffice.access import WAREHOUSE_ROLES, staff_actor, staff_view
from backoffice.forms import ReceiptLineForm, ScanForm
from returns.attachments import attachment_check
from returns.models import ReturnRequest
from returns.selectors import return_get
from returns.services import receipt_photos_store, receipt_state, return_receive
from returns.statuses import RECEIVABLE_STATUSES, Condition, ReturnStatus
from returns_platform.errors import DomainError
from returns_platform.tenancy import require_current_tenant


def _find(form: ScanForm) -> ReturnRequest | None:
    rma = form.rma
    if form.token:
        found = ReturnRequest.read_access_token(form.token)
        if found is None or found[0] != require_current_tenant().pk:
            return None
        rma = found[1]
    return ReturnRequest.objects.filter(rma=rma).first()


@staff_view(roles=WAREHOUSE_ROLES, methods=["GET", "POST"])
def scan(request):
    """The scanner types into the focused field and presses Enter: straight to the receipt."""
    form = ScanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return_request = _find(form)
        if return_request is not None:
            return redirect("backoffice:receipt", rma=return_request.rma)
        form.add_error(
            "code",
            _("No return %(code)s in this shop.") % {"code": form.rma or _("for this label")},
        )
    awaiting = list(
        ReturnRequest.objects.filter(status__in=(ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED))
        .select_related("order")
        .order_by("status_changed_at", "id")[:20]
    )
    return render(request, "backoffice/warehouse/scan.html", {"form": form, "awaiting": awaiting})


def _line_forms(return_request, data=None, files=None) -> list[ReceiptLineForm]:
    forms_ = []
    for line in return_request.lines.all():
        initial = {
            "received_quantity": line.received_quantity
            if line.received_quantity is not None
            else line.quantity,
            "condition": line.condition or "as_new",
            "disposition": line.disposition or "restock",
            "accepted_amount": line.accepted_amount,
            "accepted_reason": line.accepted_reason,
        }
        forms_.append(
            ReceiptLineForm(data, files, line=line, prefix=f"line-{line.pk}", initial=initial)
        )
    return forms_


@staff_view(roles=WAREHOUSE_ROLES, methods=["GET", "POST"])
def receipt(request, rma: str):
    return_request = return_get(rma=rma)
    can_book = return_request.status in RECEIVABLE_STATUSES
    line_forms = _line_forms(return_request)
    photos_by_line: dict[int, list] = {}
    for attachment in return_request.attachments.all():
        if attachment.line_id:
            photos_by_line.setdefault(attachment.line_id, []).append(attachment)
    error = ""
    if request.method == "POST":
        if not can_book:
            messages.error(
                request,
                _("A return that is %(status)s cannot be received.")
                % {"status": return_request.get_status_display()},
            )
            return redirect("backoffice:receipt", rma=rma)
        line_forms = _line_forms(return_request, request.POST, request.FILES)
        if all(form.is_valid() for form in line_forms):
            error = _book(request, return_request, line_forms)
            if not error:
                return redirect("backoffice:receipt", rma=rma)
    rows = [(form, photos_by_line.get(form.line.pk, [])) for form in line_forms]
    return render(
        request,
        "backoffice/warehouse/receipt.html",
        {
            "rr": return_request,
            "rows": rows,
            "can_book": can_book,
            "error": error,
            "state": receipt_state(list(return_request.lines.all())),
            "deductions": [
                (Condition(condition).label, percent)
                for condition, percent in (
                    (return_request.policy_snapshot or {}).get("condition_deductions") or {}
                ).items()
            ],
        },
        status=422 if error or any(form.errors for form in line_forms) else 200,
    )


def _book(request, return_request, line_forms) -> str:
    """Book the posted lines (and photos); an error message, or "" when it went through."""
    lines, photos = [], []
    for form in line_forms:
        data, line = form.cleaned_data, form.line
        if data["received_quantity"] == 0 and line.received_quantity is None and not data["photo"]:
            continue  # not in this parcel
        lines.append(
            {
                "line_id": line.pk,
                "received_quantity": data["received_quantity"],
                "condition": data["condition"],
                "disposition": data["disposition"],
                "accepted_amount": data["accepted_amount"],
                "accepted_reason": data["accepted_reason"],
            }
        )
        if data["photo"]:
            try:
                photos.append(
                    (line, attachment_check(name=data["photo"].name, upload=data["photo"]))
                )
            except DomainError as problem:
                form.add_error("photo", problem.message)
                return problem.message
    if not lines:
        return _("Enter the received quantity of at least one line.")
    inspect = request.POST.get("inspect") == "1"
    try:
        with transaction.atomic():
            updated = return_receive(
                return_request=return_request,
                lines=lines,
                actor=staff_actor(request),
                user=request.user,
                complete_inspection=inspect,
            )
            receipt_photos_store(return_request=updated, photos=photos, actor=staff_actor(request))
    except DomainError as problem:
        return problem.message
    if inspect:
        messages.success(request, _("%(rma)s is received and inspected.") % {"rma": updated.rma})
    else:
        messages.success(request, _("Receipt of %(rma)s booked.") % {"rma": updated.rma})
    return ""
