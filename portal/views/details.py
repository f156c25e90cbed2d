"""The details step: a reason and comment per item, and the photos kept until submit."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import ratelimit, selectors, services
from portal.forms import (
    DetailsForm,
)
from portal.views.common import (
    page_context,
    portal_page,
    portal_url,
    wizard_step,
)
from portal.wizard import state_save
from returns.predicates import case_needs_photo


@require_http_methods(["GET", "POST"])
@portal_page
@wizard_step("details")
def details(request, state, order):
    judgement = selectors.portal_order_judge(order=order, case_type=state.case_type)
    chosen = state.chosen_lines()
    lines = [choice for choice in judgement.lines if choice.order_line.pk in chosen]
    reasons = selectors.portal_reasons()
    initial = {}
    for line_id, line in chosen.items():
        initial[f"reason_{line_id}"] = line.reason
        initial[f"comment_{line_id}"] = line.comment
    form = DetailsForm(
        request.POST or None,
        lines=lines,
        reasons=reasons,
        language=request.LANGUAGE_CODE,
        initial=initial,
    )
    photo_errors: dict[int, list[str]] = {}
    limited = request.method == "POST" and not ratelimit.hit(
        ratelimit.DETAILS_PER_IP, f"{request.tenant.pk}:{ratelimit.client_address(request)}"
    )
    if limited:
        message = _("Too many attempts in a short time. Please wait a few minutes and try again.")
        if ratelimit.wants_json(request):
            response = JsonResponse({"code": "rate_limited", "message": message}, status=429)
            response["Retry-After"] = "600"
            return response
        form.add_error(None, message)  # nothing of this submission is stored
    elif request.method == "POST":
        valid = form.is_valid()
        for choice in lines:
            line_id = choice.order_line.pk
            line = chosen[line_id]
            remove = set(request.POST.getlist(f"remove_{line_id}"))
            kept = [photo for index, photo in enumerate(line.photos) if str(index) not in remove]
            services.portal_photos_discard(
                photos=[photo for photo in line.photos if photo not in kept],
                tenant_id=order.tenant_id,
            )
            line.photos = kept
            uploads = request.FILES.getlist(f"photos_{line_id}")
            if len(kept) + len(uploads) > services.MAX_PHOTOS_PER_LINE:
                photo_errors.setdefault(line_id, []).append(
                    _("At most %(count)d photos per item.")
                    % {"count": services.MAX_PHOTOS_PER_LINE}
                )
                uploads = uploads[: max(services.MAX_PHOTOS_PER_LINE - len(kept), 0)]
            for upload in uploads:
                try:
                    line.photos.append(
                        services.portal_photo_store(tenant_id=order.tenant_id, upload=upload)
                    )
                except services.PortalError as error:
                    photo_errors.setdefault(line_id, []).append(error.message)
            if valid:
                line.reason = form.cleaned_data[f"reason_{line_id}"]
                line.comment = form.cleaned_data[f"comment_{line_id}"]
            if case_needs_photo(state.case_type) and not line.photos:
                photo_errors.setdefault(line_id, []).append(
                    _("Add at least one photo of the problem.")
                )
        try:
            services.photo_limits_check(state=state)
        except services.PortalError as error:
            form.add_error(None, error.message)
            valid = False
        state.details_done = valid and not photo_errors
        state_save(request, request.tenant, state)
        if state.details_done:
            return redirect(portal_url(request, "resolution"))
    rows = [
        {
            "choice": choice,
            "line": chosen[choice.order_line.pk],
            "reason": form[f"reason_{choice.order_line.pk}"],
            "comment": form[f"comment_{choice.order_line.pk}"],
            "photo_errors": photo_errors.get(choice.order_line.pk, []),
        }
        for choice in lines
    ]
    return render(
        request,
        "portal/details.html",
        page_context(
            request,
            form=form,
            order=order,
            rows=rows,
            photos_required=case_needs_photo(state.case_type),
            max_photos=services.MAX_PHOTOS_PER_LINE,
        ),
        status=429 if limited else 400 if request.method == "POST" else 200,
    )
