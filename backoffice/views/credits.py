"""Back-office screens of the credits app: vouchers, credit notes, refunds, resolutions.

Mounted at ``/backoffice/credits/`` (namespace ``backoffice-credits``). The back-office
middleware has put the signed-in user's shop in scope (``request.tenant``); every read
goes through the scoped managers, so another shop's ids are simply not found (404).
Views validate input and call services; the rules live in the services.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.access import ADMIN_ROLES, SERVICE_ROLES, has_role, staff_actor, staff_view
from backoffice.forms.credits import (
    CreditNoteFilterForm,
    CreditNoteForm,
    RefundConfirmForm,
    RefundFilterForm,
    ResolveForm,
    VoucherFindForm,
    VoucherIssueForm,
    VoucherRedeemForm,
    VoucherVoidForm,
)
from backoffice.views.common import error_text, form_error
from credits import selectors, services
from credits.codes import format_code
from credits.services.credit_notes import Payout
from credits.services.resolution import return_resolution_preview
from credits.statuses import RefundProvider, RefundStatus
from orders.models import Order
from returns.models import ReturnRequest
from returns_platform.errors import DomainError

PAGE_SIZE = 50
# The ledger reference of a voucher staff issue by hand (stored, so not translated).
GOODWILL_REFERENCE = "goodwill"
FOUR_EYES_MESSAGE = gettext_lazy(
    "This shop books credit notes with four eyes: a colleague other than the author "
    "({author}) has to book it."
)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"backoffice/credits/{template}", context, status=status)


# --- Overview -------------------------------------------------------------------------


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def index(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "index.html",
        {
            "find_form": VoucherFindForm(),
            "draft_count": selectors.credit_note_list(filters={"status": "draft"}).count(),
            "pending_refunds": selectors.refund_list(filters={"status": "pending"}).count(),
            "awaiting": selectors.returns_awaiting_resolution().count(),
        },
    )


# --- Vouchers -------------------------------------------------------------------------


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def voucher_find(request: HttpRequest) -> HttpResponse:
    form = VoucherFindForm(request.GET or None)
    if form.is_valid():
        try:
            voucher = selectors.voucher_get(code=form.cleaned_data["code"])
        except DomainError as error:  # a typo (check character), a format error, unknown
            form.add_error("code", error_text(error))
        else:
            return redirect("backoffice-credits:voucher", voucher_id=voucher.pk)
    status = 400 if form.is_bound and form.errors else 200
    return _render(request, "voucher_find.html", {"form": form}, status=status)


@staff_view(roles=SERVICE_ROLES, methods=["GET", "POST"])
def voucher_issue(request: HttpRequest) -> HttpResponse:
    """Issue a goodwill voucher; bad input is a field error and nothing is written."""
    form = VoucherIssueForm(
        request.POST if request.method == "POST" else None,
        initial={"currency": request.tenant.currency},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order = None
        if data["order"]:
            order = Order.objects.filter(number=data["order"]).first()
            if order is None:
                form.add_error("order", _("No order with this number."))
        if not form.errors:
            try:
                voucher = services.voucher_issue(
                    amount=data["amount"],
                    currency=data["currency"],
                    description=data["description"],
                    valid_from=data["valid_from"],
                    expires_at=data["expires_at"],
                    order=order,
                    email=data["email"],
                    reference=GOODWILL_REFERENCE,
                    actor=staff_actor(request),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Voucher %(code)s issued for %(amount)s %(currency)s.")
                    % {
                        "code": format_code(voucher.code),
                        "amount": voucher.balance,
                        "currency": voucher.currency,
                    },
                )
                return redirect("backoffice-credits:voucher", voucher_id=voucher.pk)
    status = 400 if request.method == "POST" else 200
    return _render(request, "voucher_issue.html", {"form": form}, status=status)


def _voucher_page(request, voucher, *, redeem_form=None, void_form=None, status=200):
    entries = list(selectors.voucher_entries(voucher=voucher))
    return _render(
        request,
        "voucher_detail.html",
        {
            "voucher": voucher,
            "code": format_code(voucher.code),
            "entries": entries,
            "redeem_form": redeem_form or VoucherRedeemForm(),
            "void_form": void_form or VoucherVoidForm(),
        },
        status=status,
    )


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def voucher_detail(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher = selectors.voucher_get_by_id(voucher_id=voucher_id)
    return _voucher_page(request, voucher)


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def voucher_redeem(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher = selectors.voucher_get_by_id(voucher_id=voucher_id)
    form = VoucherRedeemForm(request.POST)
    if form.is_valid():
        try:
            voucher, _entry = services.voucher_redeem(
                voucher=voucher,
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                actor=staff_actor(request),
            )
        except DomainError as error:
            form_error(form, error)
            voucher = selectors.voucher_get_by_id(voucher_id=voucher_id)
        else:
            messages.success(
                request,
                _("Redeemed %(amount)s %(currency)s; the balance is %(balance)s.")
                % {
                    "amount": form.cleaned_data["amount"],
                    "currency": voucher.currency,
                    "balance": voucher.balance,
                },
            )
            return redirect("backoffice-credits:voucher", voucher_id=voucher.pk)
    return _voucher_page(request, voucher, redeem_form=form, status=400)


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def voucher_void(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher = selectors.voucher_get_by_id(voucher_id=voucher_id)
    form = VoucherVoidForm(request.POST)
    if form.is_valid():
        try:
            services.voucher_void(
                voucher=voucher, reason=form.cleaned_data["reason"], actor=staff_actor(request)
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The voucher is void; its balance was written off."))
            return redirect("backoffice-credits:voucher", voucher_id=voucher.pk)
    return _voucher_page(request, voucher, void_form=form, status=400)


# --- Credit notes ---------------------------------------------------------------------


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def credit_note_list(request: HttpRequest) -> HttpResponse:
    form = CreditNoteFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    notes = selectors.credit_note_list(filters=filters).order_by("-id")
    return _render(request, "credit_note_list.html", {"form": form, "page": _page(request, notes)})


@staff_view(roles=SERVICE_ROLES, methods=["GET", "POST"])
def credit_note_create(request: HttpRequest) -> HttpResponse:
    form = CreditNoteForm(request.POST or None, initial={"order": request.GET.get("order", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order = Order.objects.filter(number=data["order"]).first()
        if order is None:
            form.add_error("order", _("No order with this number."))
        else:
            try:
                note = services.credit_note_create(
                    order=order,
                    reason=data["reason"],
                    description=data["description"],
                    amount=data["amount"],
                    tax_rate=data["tax_rate"] or Decimal("0"),
                    payout=Payout(
                        method=data["payout_method"],
                        provider=data["provider"],
                        payment_reference=data["payment_reference"],
                        gift_card_provider=data["gift_card_provider"],
                        gift_card_reference=data["gift_card_reference"],
                        iban=data["iban"],
                        account_holder=data["account_holder"],
                    ),
                    actor=staff_actor(request),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Draft credit note saved; book it to number it."))
                return redirect("backoffice-credits:credit-note", credit_note_id=note.pk)
    status = 400 if request.method == "POST" else 200
    return _render(request, "credit_note_form.html", {"form": form}, status=status)


def _credit_note_page(
    request, note, *, error: str = "", status: int = 200, offer_override: bool = False
) -> HttpResponse:
    return _render(
        request,
        "credit_note_detail.html",
        {
            "note": note,
            "lines": list(note.lines.all()),
            "refunds": list(note.refunds.all()),
            "voucher_code": format_code(note.voucher.code) if note.voucher_id else "",
            "error": error,
            # Above the order's total: an admin may still book it, with a reason (audited).
            "offer_override": offer_override and has_role(request, ADMIN_ROLES),
        },
        status=status,
    )


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def credit_note_detail(request: HttpRequest, credit_note_id: int) -> HttpResponse:
    note = selectors.credit_note_get(credit_note_id=credit_note_id)
    return _credit_note_page(request, note)


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def credit_note_book(request: HttpRequest, credit_note_id: int) -> HttpResponse:
    note = selectors.credit_note_get(credit_note_id=credit_note_id)
    override_reason = request.POST.get("override_reason", "").strip()[:500]
    try:
        services.credit_note_book(
            credit_note=note, actor=staff_actor(request), override_reason=override_reason
        )
    except DomainError as error:
        message = error_text(error)
        if error.code == "four_eyes_required":
            message = str(FOUR_EYES_MESSAGE).format(
                author=note.created_by_label or note.created_by_actor
            )
        return _credit_note_page(
            request,
            note,
            error=message,
            status=error.status,
            offer_override=error.code == "credit_exceeds_order",
        )
    note = selectors.credit_note_get(credit_note_id=credit_note_id)
    messages.success(request, _("Credit note %(number)s booked.") % {"number": note.number})
    return redirect("backoffice-credits:credit-note", credit_note_id=note.pk)


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def credit_note_document(request: HttpRequest, credit_note_id: int) -> HttpResponse:
    note = selectors.credit_note_get(credit_note_id=credit_note_id)
    if not note.is_booked:
        raise Http404("A draft has no document yet.")
    if not note.document:
        note = services.credit_note_document_store(credit_note=note)
    with note.document.open("rb") as document:
        pdf = document.read()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{note.number}.pdf"'
    return response


# --- Refunds --------------------------------------------------------------------------


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def refund_list(request: HttpRequest) -> HttpResponse:
    form = RefundFilterForm(request.GET or None)
    filters = {}
    if form.is_valid() and form.cleaned_data["status"]:
        filters["status"] = form.cleaned_data["status"]
    refunds = selectors.refund_list(filters=filters).order_by("-id")
    return _render(
        request,
        "refund_list.html",
        {
            "form": form,
            "page": _page(request, refunds),
            "confirm_form": RefundConfirmForm(),
            "manual": RefundProvider.MANUAL,
            "pending": RefundStatus.PENDING,
        },
    )


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def refund_confirm(request: HttpRequest, refund_id: int) -> HttpResponse:
    refund = selectors.refund_get(refund_id=refund_id)
    form = RefundConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.refund_confirm_manual(
                refund=refund,
                provider_reference=form.cleaned_data["provider_reference"],
                actor=staff_actor(request),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Refund %(id)s confirmed as paid.") % {"id": refund.pk})
            return redirect("backoffice-credits:refunds")
    return _render(request, "refund_confirm.html", {"refund": refund, "form": form}, status=400)


# --- Return resolution ----------------------------------------------------------------


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def return_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.returns_awaiting_resolution())
    return _render(request, "return_list.html", {"page": page})


def _return(rma: str) -> ReturnRequest:
    return_request = ReturnRequest.objects.select_related("order").filter(rma=rma).first()
    if return_request is None:
        raise Http404("No such return.")
    return return_request


@staff_view(roles=SERVICE_ROLES, methods=["GET", "POST"])
def return_resolve(request: HttpRequest, rma: str) -> HttpResponse:
    return_request = _return(rma)
    resolution = selectors.return_resolution_find(rma=rma)
    form = ResolveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and resolution is None:
        if form.is_valid():
            try:
                services.return_resolve(
                    return_request=return_request,
                    actor=staff_actor(request),
                    user=request.user,
                    provider=form.cleaned_data["provider"],
                    payment_reference=form.cleaned_data["payment_reference"],
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("%(rma)s resolved and completed.") % {"rma": rma})
                return redirect("backoffice-credits:return-resolve", rma=rma)
        status = 400
    preview = None if resolution else return_resolution_preview(return_request=return_request)
    return _render(
        request,
        "return_resolve.html",
        {
            "return_request": return_request,
            "resolution": resolution,
            "preview": preview,
            "preview_lines": preview.rows(return_request.currency) if preview else [],
            "form": form,
            "voucher_code": format_code(resolution.voucher.code)
            if resolution and resolution.voucher_id
            else "",
        },
        status=status,
    )
