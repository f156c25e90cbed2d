"""A complaint's decision, recorded from the request page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from backoffice.access import SERVICE_ROLES, staff_actor, staff_view
from backoffice.case_forms import DecisionForm
from backoffice.views.common import form_errors_message, refused
from credits.services.decisions import return_decide
from returns.selectors import return_get
from returns_platform.errors import DomainError


@staff_view(roles=SERVICE_ROLES, methods=["POST"])
def request_decision(request, rma: str):
    return_request = return_get(rma=rma)
    path = f"/backoffice/requests/{rma}/"
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect(path)
    try:
        return_decide(
            return_request=return_request,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            actor=staff_actor(request),
            user=request.user,
        )
    except DomainError as error:
        return refused(request, error, to=path, rma=rma)
    messages.success(request, _("Decision recorded for %(rma)s.") % {"rma": rma})
    return redirect(path)
