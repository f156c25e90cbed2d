"""After submitting: confirmation, the status page with its label, withdrawal and
messages with the shop."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carriers.selectors import shipment_events, shipment_of
from conversations.selectors import conversation_attachment_get, conversation_thread
from conversations.services import conversation_post
from portal import services
from portal.forms import (
    ReplyForm,
)
from portal.outcome import return_outcome
from portal.timeline import status_timeline
from portal.views.common import (
    LANGUAGE_SESSION_KEY,
    SUPPORTED_LANGUAGES,
    page_context,
    portal_page,
    portal_url,
)
from returns import labels
from returns.predicates import can_withdraw, needs_label
from returns.selectors import return_get_by_access_token
from returns.statuses import ReturnMethod
from returns_platform.audit import Actor
from returns_platform.errors import DomainError


def load_return(request, token: str):
    """The request a status-page token names, in this shop; 404 for anything else."""
    return_request = return_get_by_access_token(token=token)
    if (
        LANGUAGE_SESSION_KEY not in request.session
        and return_request.language in SUPPORTED_LANGUAGES
    ):
        translation.activate(return_request.language)
        request.LANGUAGE_CODE = return_request.language
    return return_request


def _label_context(request, return_request, token: str) -> dict:
    needs = needs_label(return_request)
    return {
        "needs_label": needs,
        "label_ready": needs and return_request.label_ready_at is not None,
        "label_url": portal_url(request, "label", token=token),
        "label_state_url": portal_url(request, "label_state", token=token),
    }


def _return_context(request, return_request, token: str) -> dict:
    qr = ""
    if return_request.method == ReturnMethod.QR_DROP_OFF and return_request.needs_parcel:
        qr = labels.qr_svg(return_request.rma)
    shipment = shipment_of(return_request)
    return {
        "shipment": shipment,
        "shipment_events": shipment_events(shipment) if shipment else [],
        "carrier_label_url": portal_url(request, "carrier_label", token=token),
        "return_request": return_request,
        "token": token,
        "status_url": portal_url(request, "status", token=token),
        "method_label": ReturnMethod(return_request.method).label,
        "carrier": labels.carrier_name(return_request.order),
        "qr_svg": qr,
        **_label_context(request, return_request, token),
    }


@require_http_methods(["GET"])
@portal_page
def confirmation(request, token):
    return_request = load_return(request, token)
    return render(
        request,
        "portal/confirmation.html",
        page_context(request, **_return_context(request, return_request, token)),
    )


@require_http_methods(["GET"])
@portal_page
def status(request, token):
    return_request = load_return(request, token)
    thread = _thread(return_request)
    return render(
        request,
        "portal/status.html",
        page_context(
            request,
            timeline=status_timeline(return_request=return_request),
            thread=thread,
            can_reply=thread is not None,
            reply_form=ReplyForm(),
            can_withdraw=can_withdraw(return_request),
            outcome=return_outcome(return_request, translation.get_language()),
            **_return_context(request, return_request, token),
        ),
    )


@require_http_methods(["GET"])
@portal_page
def label_state(request, token):
    """The label part of the status page alone, for htmx to poll while it is prepared."""
    return_request = load_return(request, token)
    return render(
        request,
        "portal/_label.html",
        page_context(
            request, return_request=return_request, **_label_context(request, return_request, token)
        ),
    )


@require_http_methods(["GET"])
@portal_page
def label(request, token):
    return_request = load_return(request, token)
    if not needs_label(return_request) or return_request.label_ready_at is None:
        raise Http404("No label (yet).")
    page_format = labels.A4 if request.GET.get("format") == labels.A4 else labels.A6
    suffix = "-a4" if page_format == labels.A4 else ""
    return FileResponse(
        labels.label_file(return_request, page_format=page_format),
        as_attachment=True,
        filename=f"return-label-{return_request.rma}{suffix}.pdf",
        content_type="application/pdf",
    )


@require_http_methods(["GET"])
@portal_page
def carrier_label(request, token):
    """The carrier's own label, once the shipment is booked."""
    return_request = load_return(request, token)
    shipment = shipment_of(return_request)
    if shipment is None or not shipment.label_pdf:
        raise Http404("No carrier label (yet).")
    return FileResponse(
        shipment.label_pdf.open("rb"),
        as_attachment=True,
        filename=f"{shipment.account.carrier}-label-{return_request.rma}.pdf",
        content_type="application/pdf",
    )


@require_POST
@portal_page
def withdraw(request, token):
    return_request = load_return(request, token)
    try:
        services.portal_return_withdraw(return_request=return_request)
    except DomainError:
        messages.error(
            request, _("This return is already being handled and can no longer be withdrawn.")
        )
    else:
        messages.success(request, _("Your return has been withdrawn."))
    return redirect(portal_url(request, "status", token=token))


def _thread(return_request):
    """The consumer's view of the conversation with the shop (no internal notes)."""
    return conversation_thread(return_request=return_request, include_internal=False)


@require_POST
@portal_page
def reply(request, token):
    return_request = load_return(request, token)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message first."))
        return redirect(portal_url(request, "status", token=token) + "#messages")
    try:
        conversation_post(
            return_request=return_request,
            body=form.cleaned_data["body"],
            actor=Actor.consumer(return_request.email),
            attachments=request.FILES.getlist("attachments"),
        )
    except DomainError as error:
        messages.error(request, services.message_problem(error))
    else:
        messages.success(request, _("Your message has been sent."))
    return redirect(portal_url(request, "status", token=token) + "#messages")


@require_http_methods(["GET"])
@portal_page
def attachment(request, token, attachment_id):
    return_request = load_return(request, token)
    try:
        found = conversation_attachment_get(
            return_request=return_request, attachment_id=attachment_id, include_internal=False
        )
    except DomainError as error:
        raise Http404("No such file.") from error
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name or "attachment",
        content_type=found.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
