"""Feedback on a completed return: a 1-5 rating and a comment, changeable for 14 days."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import FeedbackForm
from portal.views.common import page_context, portal_page, portal_url
from portal.views.status import load_return
from returns.feedback import FEEDBACK_EDIT_DAYS, feedback_editable, feedback_get, feedback_submit
from returns.statuses import ReturnStatus
from returns_platform.errors import DomainError


@require_http_methods(["GET", "POST"])
@portal_page
def feedback(request, token):
    return_request = load_return(request, token)
    answer = feedback_get(return_request=return_request)
    is_open = return_request.status == ReturnStatus.COMPLETED and feedback_editable(answer)
    initial = {"rating": answer.rating, "comment": answer.comment} if answer else None
    form = FeedbackForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if is_open and form.is_valid():
            try:
                feedback_submit(
                    return_request=return_request,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            except DomainError:
                messages.error(request, _("Your feedback could not be saved."))
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect(portal_url(request, "feedback", token=token))
        status = 422 if is_open else 409
    return render(
        request,
        "portal/feedback.html",
        page_context(
            request,
            return_request=return_request,
            token=token,
            form=form,
            answer=answer,
            is_open=is_open,
            edit_days=FEEDBACK_EDIT_DAYS,
            status_url=portal_url(request, "status", token=token),
        ),
        status=status,
    )
