"""One request: its order and customer, lines and photos, verdicts, the refund preview,
the allowed actions, the thread with the customer, internal notes and the history."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.access import SERVICE_ROLES, WAREHOUSE_ROLES, staff_actor, staff_view
from backoffice.forms import FreeReturnForm, MessageForm, ReassignForm, TransitionForm
from backoffice.selectors import staff_member_get, staff_members
from backoffice.views.common import form_errors_message, refused
from carriers import selectors as carrier_selectors
from conversations.selectors import conversation_attachment_get, conversation_thread
from conversations.services import conversation_post
from returns.feedback import feedback_get
from returns.models import Attachment
from returns.selectors import return_get, return_history
from returns.services import return_reassign, return_set_free
from returns.statuses import RECEIVABLE_STATUSES, DecisionKind, ReturnStatus, allowed_targets
from returns.workflow import return_move, status_path
from returns_platform.errors import DomainError

S = ReturnStatus
# Transitions staff make with a button on the detail page, in the order they are shown.
# Receipt and inspection go through the receipt screen; expiry is the system's.
BUTTON_TARGETS: tuple[str, ...] = (
    S.CONCEPT,
    S.APPROVED,
    S.ON_HOLD,
    S.REQUESTED,
    S.LABEL_CREATED,
    S.IN_TRANSIT,
    S.COMPLETED,
    S.CANCELLED,
)
BUTTON_LABELS = {
    S.CONCEPT: gettext_lazy("Move to concept"),
    S.APPROVED: gettext_lazy("Approve"),
    S.ON_HOLD: gettext_lazy("Hold"),
    S.REQUESTED: gettext_lazy("Release"),
    S.LABEL_CREATED: gettext_lazy("Label created"),
    S.IN_TRANSIT: gettext_lazy("In transit"),
    S.COMPLETED: gettext_lazy("Complete"),
    S.CANCELLED: gettext_lazy("Cancel"),
}


def _detail_path(rma: str) -> str:
    return reverse("backoffice:request", args=[rma])


def staff_buttons(return_request) -> list[str]:
    allowed = set(
        allowed_targets(return_request.status, return_request.case_type, return_request.keep_item)
    )
    return [str(target) for target in BUTTON_TARGETS if target in allowed]


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def request_detail(request, rma: str):
    return_request = return_get(rma=rma)
    lines = list(return_request.lines.all())
    photos_by_line = defaultdict(list)
    request_files = []
    for attachment in return_request.attachments.all():
        if attachment.line_id:
            photos_by_line[attachment.line_id].append(attachment)
        else:
            request_files.append(attachment)
    members = staff_members()
    verdicts_by_line = defaultdict(list)
    request_verdicts = []
    for verdict in return_request.verdicts:
        if verdict.get("line") is None:
            request_verdicts.append(verdict)
        else:
            verdicts_by_line[verdict["line"]].append(verdict)
    line_rows = [
        {
            "line": line,
            "photos": photos_by_line.get(line.pk, []),
            "verdicts": verdicts_by_line.get(index, []),
        }
        for index, line in enumerate(lines)
    ]
    held_by_colleague = (
        return_request.held_by_id is not None and return_request.held_by_id != request.user.pk
    )
    context = {
        "rr": return_request,
        "order": return_request.order,
        "line_rows": line_rows,
        "request_files": request_files,
        "request_verdicts": request_verdicts,
        "preview": return_request.refund_preview,
        "buttons": [(target, BUTTON_LABELS[target]) for target in staff_buttons(return_request)],
        "can_receive": return_request.status in RECEIVABLE_STATUSES
        or return_request.status == S.RECEIVED,
        "held_by_colleague": held_by_colleague,
        "reassign_form": ReassignForm(
            members=members,
            initial={"assignee": str(return_request.assignee_id or "")},
        ),
        "message_form": MessageForm(),
        "thread": conversation_thread(return_request=return_request, include_internal=True),
        "history": list(return_history(return_request=return_request)),
        "status_path": status_path(return_request),
        "feedback": feedback_get(return_request=return_request),
        "decision_choices": DecisionKind.choices,
        **_carrier_context(return_request),
    }
    return render(request, "backoffice/requests/detail.html", context)


def _carrier_context(return_request) -> dict:
    shipment = carrier_selectors.shipment_of(return_request)
    return {
        "shipment": shipment,
        "shipment_events": carrier_selectors.shipment_events(shipment) if shipment else [],
    }


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def request_transition(request, rma: str):
    return_request = return_get(rma=rma)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(_detail_path(rma))
    to = form.cleaned_data["to"]
    if to not in staff_buttons(return_request):
        messages.error(
            request,
            _("%(rma)s cannot become %(to)s now.") % {"rma": rma, "to": S(to).label},
        )
        return redirect(_detail_path(rma))
    try:
        # Completing pays: return_move runs the resolution, which completes the return.
        return_move(
            return_request=return_request,
            to=to,
            actor=staff_actor(request),
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return refused(request, error, to=_detail_path(rma), rma=rma)
    messages.success(request, _("%(rma)s is now %(status)s.") % {"rma": rma, "status": S(to).label})
    return redirect(_detail_path(rma))


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def request_free_return(request, rma: str):
    return_request = return_get(rma=rma)
    form = FreeReturnForm(request.POST)
    form.is_valid()
    is_free = form.cleaned_data.get("is_free_return", False)
    try:
        return_set_free(
            return_request=return_request,
            is_free=is_free,
            actor=staff_actor(request),
            user=request.user,
        )
    except DomainError as error:
        return refused(request, error, to=_detail_path(rma), rma=rma)
    messages.success(
        request,
        _("Free return switched on.") if is_free else _("Free return switched off."),
    )
    return redirect(_detail_path(rma))


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def request_reassign(request, rma: str):
    return_request = return_get(rma=rma)
    members = staff_members()
    form = ReassignForm(request.POST, members=members)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(_detail_path(rma))
    assignee = None
    if form.cleaned_data["assignee"]:
        assignee = staff_member_get(user_id=int(form.cleaned_data["assignee"]))
        if assignee is None:
            raise Http404("No such colleague.")
    try:
        return_reassign(
            return_request=return_request,
            assignee=assignee,
            actor=staff_actor(request),
            user=request.user,
        )
    except DomainError as error:
        return refused(request, error, to=_detail_path(rma), rma=rma)
    messages.success(
        request,
        _("Assigned to %(user)s.") % {"user": assignee.get_username()}
        if assignee
        else _("Nobody is assigned now."),
    )
    return redirect(_detail_path(rma))


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def request_message(request, rma: str):
    """A message to the customer, or an internal note (``is_internal``) they never see."""
    return_request = return_get(rma=rma)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(_detail_path(rma) + "#thread")
    is_internal = form.cleaned_data["is_internal"]
    try:
        conversation_post(
            return_request=return_request,
            body=form.cleaned_data["body"],
            actor=staff_actor(request),
            author=request.user,
            is_internal=is_internal,
            attachments=form.cleaned_data["attachments"],
        )
    except DomainError as error:
        return refused(request, error, to=_detail_path(rma) + "#thread")
    messages.success(
        request, _("Internal note added.") if is_internal else _("Message sent to the customer.")
    )
    return redirect(_detail_path(rma) + "#thread")


def _file_response(stored_file, *, name: str, content_type: str) -> FileResponse:
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is gone.") from error
    response = FileResponse(handle, content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not content_type.startswith("image/"):
        response["Content-Disposition"] = response["Content-Disposition"].replace(
            "inline", "attachment"
        )
    return response


@staff_view(roles=WAREHOUSE_ROLES, methods=["GET"])
def request_attachment(request, rma: str, attachment_id: int):
    """A photo or document of the request (also shown on the receipt screen)."""
    return_request = return_get(rma=rma)
    attachment = Attachment.objects.filter(request=return_request, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such file.")
    return _file_response(
        attachment.file,
        name=attachment.original_name or "file",
        content_type=attachment.content_type,
    )


@staff_view(roles=SERVICE_ROLES, methods=["GET"])
def message_attachment(request, rma: str, attachment_id: int):
    return_request = return_get(rma=rma)
    attachment = conversation_attachment_get(
        return_request=return_request, include_internal=True, attachment_id=attachment_id
    )
    return _file_response(
        attachment.file,
        name=attachment.original_name or "file",
        content_type=attachment.content_type,
    )
